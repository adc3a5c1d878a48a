// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  EXAMPLE_TEST_MS,
  createExampleFixture,
  listLeftoverFiles,
  runTypeScriptExample,
  TEST_WAIT_MS,
} from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { noNetAdmin, readHostNetwork, skipNote, withoutOthers } from './support/host-network.ts';

const examplesDir = fileURLToPath(new URL('..', import.meta.url));
// Kindling's own folder of process records (and, from ext-network, of network records), kept.
const KEPT = /^kindling-\d+(\/(processes|processes\/network|run))?$/u;
const TOKEN = '[0-9a-f]{10}';

describe('networked-vm.ts against the fakes', () => {
  it.skipIf(noNetAdmin !== undefined)(
    `networks a VM on a TAP and a clone pair in namespaces, and leaves the host as it was${skipNote(noNetAdmin)}`,
    async () => {
      await using fixture = await createExampleFixture('kindling-example-network-');
      const { installation, kernelPath, tempDir } = fixture.paths;
      await mkdir(tempDir, { recursive: true });
      const before = await readHostNetwork();
      const url = pathToFileURL(path.join(examplesDir, 'networked-vm.ts')).href;
      const output = await runTypeScriptExample(`await import(${JSON.stringify(url)});`, {
        cwd: examplesDir,
        env: {
          KINDLING_FIRECRACKER: installation.firecrackerPath,
          KINDLING_KERNEL: kernelPath,
          KINDLING_INITRD: undefined,
          KINDLING_SOCKET_WAIT_MS: String(TEST_WAIT_MS),
          TMPDIR: tempDir,
        },
      });
      const lines = output.split('\n');
      // Its own state folder (TMPDIR): the first free /30s of the pool, in order.
      expect(lines).toHaveLength(6);
      expect(lines[0]).toMatch(
        new RegExp(
          `^vm: running, eth0 on kt${TOKEN}, host 169\\.254\\.0\\.5/30, guest 169\\.254\\.0\\.6$`,
          'u',
        ),
      );
      expect(lines.slice(1, 2)).toEqual([
        'boot argument: ip=169.254.0.6::169.254.0.5:255.255.255.252::eth0:off',
      ]);
      expect(lines[2]).toMatch(
        new RegExp(`^snapshot of a VM in kindling-${TOKEN}, guest 169\\.254\\.0\\.2$`, 'u'),
      );
      expect(lines[3]).toMatch(
        new RegExp(
          `^clone a: running in kindling-${TOKEN}, eth0 on tap0, guest 169\\.254\\.0\\.2, reachable at 169\\.254\\.0\\.10$`,
          'u',
        ),
      );
      expect(lines[4]).toMatch(
        new RegExp(
          `^clone b: running in kindling-${TOKEN}, eth0 on tap0, guest 169\\.254\\.0\\.2, reachable at 169\\.254\\.0\\.14$`,
          'u',
        ),
      );
      expect(lines[5]).toBe('');
      const tokens = [...output.matchAll(new RegExp(`(?:kt|kindling-)(${TOKEN})`, 'gu'))].map(
        (match) => String(match[1]),
      );
      // Four networks, none sharing a namespace.
      expect(new Set(tokens).size).toBe(4);
      const after = await readHostNetwork();
      expect(withoutOthers(after, tokens)).toEqual(withoutOthers(before, tokens));
      expect(await listLeftoverFiles(tempDir, KEPT)).toEqual([]);
    },
    EXAMPLE_TEST_MS,
  );
});
