// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
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
  folder = await createTempFolder('kindling-readme-');
});
afterAll(async () => {
  await folder[Symbol.asyncDispose]();
});

// Against the fakes whatever the backend: the example is about the README being true.
describe("the README's example", () => {
  it(
    'snapshots, reads, rebases and restores as its comments say',
    async () => {
      const example = await readReadmeExample(README);
      const bin = await createFakeInstallation(path.join(folder.path, 'bin'));
      const kernel = await writeFakeKernel(path.join(folder.path, 'vmlinux'));
      // Only the paths a user edits change: the binaries, the kernel and the copies.
      const code = substituteExamplePaths(example, {
        installation: bin,
        kernelPath: kernel,
        tempDir: path.join(folder.path, 'tmp'),
      });
      const stdout = await runTypeScriptExample(code, { cwd: packageDir });
      expect(stdout).toBe(
        [
          "{ text: 'v10.0.0', major: 10, minor: 0, patch: 0 }",
          '0 object',
          'MicrovmState',
          'Full true',
          'running',
          '',
        ].join('\n'),
      );
      // The copies are the user's: the rebase changed the full one in place and left them.
      expect((await readdir(path.join(folder.path, 'tmp', 'demo'))).toSorted()).toEqual([
        'diff.mem',
        'diff.state',
        'full.mem',
        'full.state',
      ]);
    },
    EXAMPLE_TEST_MS,
  );
});
