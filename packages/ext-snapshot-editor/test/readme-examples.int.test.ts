// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir } from 'node:fs/promises';
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

const PREFIX = 'kindling-readme-';

// Against the fakes whatever the backend: the example is about the README being true.
describe("the README's example", () => {
  it(
    'snapshots, reads, rebases and restores as its comments say',
    async () => {
      const example = await readReadmeExample(README);
      await using fixture = await createExampleFixture(PREFIX);
      // Only the paths a user edits change: the binaries, the kernel and the copies.
      const code = substituteExamplePaths(example, fixture.paths);
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
      expect((await readdir(path.join(fixture.paths.tempDir, 'demo'))).toSorted()).toEqual([
        'diff.mem',
        'diff.state',
        'full.mem',
        'full.state',
      ]);
    },
    EXAMPLE_TEST_MS,
  );
});
