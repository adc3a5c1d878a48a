// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

const PREFIX = 'kindling-grpc-readme-';

// Against the fakes whatever the backend: the example is about the README being true.
describe("the README's example runs as written", () => {
  it(
    'boots a VM and makes the four kinds of call to its guest',
    async () => {
      const example = await readReadmeExample(README, '# @kindling/ext-grpc-vsock');
      await using fixture = await createExampleFixture(PREFIX);
      // Only what a user edits changes: the binaries, the kernel, the socket's folder, the
      // guest's marker and where their generated code is (here, the fake guest's service).
      const code = substituteExamplePaths(example, fixture.paths)
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
      expect(existsSync(path.join(fixture.paths.tempDir, 'grpc-demo', 'v.sock'))).toBe(false);
    },
    EXAMPLE_TEST_MS,
  );
});
