// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
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
  folder = await createTempFolder('kindling-grpc-readme-');
});
afterAll(async () => {
  await folder[Symbol.asyncDispose]();
});

// Against the fakes whatever the backend: the example is about the README being true.
describe("the README's example runs as written", () => {
  it(
    'boots a VM and makes the four kinds of call to its guest',
    async () => {
      const example = await readReadmeExample(README, '# @kindling/ext-grpc-vsock');
      const bin = await createFakeInstallation(path.join(folder.path, 'bin'));
      const kernel = await writeFakeKernel(path.join(folder.path, 'vmlinux'));
      // Only what a user edits changes: the binaries, the kernel, the socket's folder, the
      // guest's marker and where their generated code is (here, the fake guest's service).
      const code = substituteExamplePaths(example, {
        installation: bin,
        kernelPath: kernel,
        tempDir: path.join(folder.path, 'tmp'),
      })
        .replaceAll("'my-guest: ready'", "'kindling-fake-guest: ready'")
        .replaceAll(
          "'./gen/guest_pb.js'",
          JSON.stringify(path.join(packageDir, 'test', 'support', 'guest_pb.ts')),
        );
      expect(code).not.toContain('./gen/');
      // What the example's comments say each line prints.
      expect(await runTypeScriptExample(code, { cwd: packageDir })).toBe(
        'hello\na,b\npong 1\npong 2\na\nb\n',
      );
      // The VM went with its scope, and its socket with it.
      expect(existsSync(path.join(folder.path, 'tmp', 'grpc-demo', 'v.sock'))).toBe(false);
    },
    EXAMPLE_TEST_MS,
  );
});
