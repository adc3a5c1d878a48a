// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFakeEnv, createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import {
  EXAMPLE_TEST_MS,
  createTempFolder,
  readReadmeExample,
  runTypeScriptExample,
  substituteExamplePaths,
  type TempFolder,
} from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const README = path.join(packageDir, 'README.md');

let folder: TempFolder;
beforeAll(async () => {
  folder = await createTempFolder('kindling-http-vsock-readme-');
});
afterAll(async () => {
  await folder[Symbol.asyncDispose]();
});

// Against the fakes whatever the backend: the example is about the README being true.
describe("the README's example runs as written", () => {
  it(
    'POSTs /ping over vsock with vsockFetch and a dispatcher, and refuses while paused',
    async () => {
      const example = await readReadmeExample(README);
      // The fake guest prints the README's marker; its HTTP agent on port 8000 answers /ping.
      const bin = await createFakeInstallation(path.join(folder.path, 'bin'), {
        env: buildFakeEnv({ bootMarker: 'my-guest: ready' }),
      });
      const kernel = await writeFakeKernel(path.join(folder.path, 'vmlinux'));
      // Only the paths a user edits change: the binaries, the kernel and the vsock socket's folder.
      const code = substituteExamplePaths(example, {
        installation: bin,
        kernelPath: kernel,
        tempDir: path.join(folder.path, 'tmp'),
      });
      // What the README's comments say each line prints.
      expect(await runTypeScriptExample(code, { cwd: packageDir })).toBe(
        '200 { c: 42 }\n200 { c: 42 }\nERR_WRONG_STATE\n',
      );
      // The VM took its vsock socket with it.
      expect(existsSync(path.join(folder.path, 'tmp', 'my-vm', 'v.sock'))).toBe(false);
    },
    EXAMPLE_TEST_MS,
  );
});
