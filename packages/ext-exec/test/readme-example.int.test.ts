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

const PREFIX = 'kindling-ext-exec-readme-';

// Against the fakes whatever the backend: the example is about the README being true.
describe("the README's example runs as written", () => {
  it(
    'runs commands, pushes a job in, pulls its output out, streams, and kills a runaway',
    async () => {
      const example = await readReadmeExample(README);
      // The fake guest prints the README's marker; its exec agent on port 10000 runs the commands.
      await using fixture = await createExampleFixture(PREFIX, {
        fakeEnv: buildFakeEnv({ bootMarker: 'my-guest: ready' }),
      });
      // Only the paths a user edits change: the binaries, the kernel and the files under /tmp.
      const code = substituteExamplePaths(example, fixture.paths);
      // What the README's comments say each line prints.
      expect(await runTypeScriptExample(code, { cwd: packageDir })).toBe(
        '3 42\n0\nHELLO\nSTREAMED\n{ exitCode: 0, signal: null }\nERR_EXEC_TIMEOUT\n',
      );
      // The VM took its vsock socket with it; the job's files are the user's, under /tmp.
      expect(existsSync(path.join(fixture.paths.tempDir, 'my-vm', 'v.sock'))).toBe(false);
      expect(existsSync(path.join(fixture.paths.tempDir, 'job-out', 'answer.txt'))).toBe(true);
    },
    EXAMPLE_TEST_MS,
  );
});
