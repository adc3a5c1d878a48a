// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFakeEnv } from '@kindling/fake-vmm';
import {
  EXAMPLE_TEST_MS,
  createExampleFixture,
  readReadmeExample,
  runTypeScriptExample,
  substituteExamplePaths,
} from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const README = path.join(packageDir, 'README.md');

const PREFIX = 'kindling-http-vsock-readme-';

// Against the fakes whatever the backend: the example is about the README being true.
describe("the README's example runs as written", () => {
  it(
    'POSTs /ping over vsock with vsockFetch and a dispatcher, and refuses while paused',
    async () => {
      const example = await readReadmeExample(README);
      // The fake guest prints the README's marker; its HTTP agent on port 8000 answers /ping.
      await using fixture = await createExampleFixture(PREFIX, {
        fakeEnv: buildFakeEnv({ bootMarker: 'my-guest: ready' }),
      });
      // Only the paths a user edits change: the binaries, the kernel and the vsock socket's folder.
      const code = substituteExamplePaths(example, fixture.paths);
      // What the README's comments say each line prints.
      expect(await runTypeScriptExample(code, { cwd: packageDir })).toBe(
        '200 { c: 42 }\n200 { c: 42 }\nERR_WRONG_STATE\n',
      );
      // The VM took its vsock socket with it.
      expect(existsSync(path.join(fixture.paths.tempDir, 'my-vm', 'v.sock'))).toBe(false);
    },
    EXAMPLE_TEST_MS,
  );
});
