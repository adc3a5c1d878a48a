// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  EXAMPLE_TEST_MS,
  readReadmeExample,
  runTypeScriptExample,
  typeCheckExample,
} from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { TestServer } from './support/test-server.js';

// The client's README, run against this server (the client's own tests cannot start one: the
// server depends on the client, for the contract's schemas).
const packageDir = fileURLToPath(new URL('../../../client', import.meta.url));
const readme = path.join(packageDir, 'README.md');

describe("the client README's example", () => {
  it('type-checks as a user would compile it, against the built package', async () => {
    expect(await typeCheckExample(await readReadmeExample(readme), packageDir)).toBe('');
  });

  it(
    'drives a VM through a server on @kindling/fake-vmm, printing what its comments say',
    async () => {
      await using server = await TestServer.start();
      // Only what a user edits changes: the server's socket and the kernel.
      const code = (await readReadmeExample(readme))
        .replaceAll('/run/kindling/kindling.sock', server.target)
        .replaceAll('/images/vmlinux', server.kernel);
      const stdout = await runTypeScriptExample(code, { cwd: packageDir });
      // What the README's comments say each line prints.
      expect(stdout.split('\n')).toEqual([
        '0',
        'running',
        'running',
        '200 {"vcpu_count":1,"mem_size_mib":128,"smt":false,"track_dirty_pages":false,"huge_pages":"None"}',
        'ERR_VM_NOT_FOUND',
        'running → paused → running → deleted',
        '',
      ]);
    },
    EXAMPLE_TEST_MS,
  );
});
