// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createExampleFixture,
  EXAMPLE_TEST_MS,
  readReadmeExample,
  runTypeScriptExample,
  substituteExamplePaths,
  typeCheckExample,
} from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { canManageNetwork, NET_ADMIN_NOTE, readHostView } from './support/host-view.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// The user whose folder (`kindling-<uid>`) the example's default state folder is in.
const UID = process.getuid?.() ?? 0;

describe("the README's example", () => {
  it('type-checks as a user would compile it, against the built packages', async () => {
    expect(
      await typeCheckExample(
        await readReadmeExample(path.join(packageDir, 'README.md')),
        packageDir,
      ),
    ).toBe('');
  });

  // Against the fakes whatever the backend: the example is about the README being true.
  it.runIf(canManageNetwork)(
    `networks a VM and two clones side by side, and leaves the host as it was${NET_ADMIN_NOTE}`,
    async () => {
      await using fixture = await createExampleFixture('kindling-network-readme-');
      await mkdir(fixture.paths.tempDir);
      const before = await readHostView();
      const code = substituteExamplePaths(
        await readReadmeExample(path.join(packageDir, 'README.md')),
        fixture.paths,
      );
      // The default state folder is under the temporary folder: the fixture's, not the host's.
      const stdout = await runTypeScriptExample(code, {
        cwd: packageDir,
        env: { TMPDIR: fixture.dir },
      });
      // What the README's comments say each line prints.
      expect(stdout).toBe(
        [
          '169.254.0.5 169.254.0.6',
          'ip=169.254.0.6::169.254.0.5:255.255.255.252::eth0:off',
          'a running tap0 169.254.0.14',
          'b running tap0 169.254.0.18',
          '{ removed: [], skipped: 4 }',
          '',
        ].join('\n'),
      );
      expect(await readHostView()).toEqual(before);
      // Every network's record went with it.
      expect(
        await readdir(path.join(fixture.dir, `kindling-${UID}`, 'processes', 'network')),
      ).toEqual([]);
    },
    EXAMPLE_TEST_MS,
  );
});
