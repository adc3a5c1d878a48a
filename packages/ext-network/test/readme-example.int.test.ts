// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  createExampleFixture,
  EXAMPLE_TEST_MS,
  readReadmeExample,
  runTypeScriptExample,
  substituteExamplePaths,
} from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { canManageNetwork, NET_ADMIN_NOTE, readHostView } from './support/host-view.js';

const execFileAsync = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tscPath = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// A bound, not an expectation: tsc takes seconds, more on a busy machine.
const TSC_TIMEOUT_MS = 120_000;
// The user whose folder (`kindling-<uid>`) the example's default state folder is in.
const UID = process.getuid?.() ?? 0;

/**
 * tsc's errors for a TypeScript module, compiled inside this package (so that `@kindling/*`
 * resolve by name to built .d.ts files, as in a user's project) with the repository's options;
 * '' when it compiles. The folder is git-ignored and removed.
 */
const typeCheck = async (code: string): Promise<string> => {
  const dir = await mkdtemp(path.join(packageDir, '.readme-typecheck-'));
  try {
    await writeFile(path.join(dir, 'example.ts'), `export {};\n${code}`);
    await writeFile(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../../../tooling/tsconfig.base.json', include: ['*.ts'] }),
    );
    return await execFileAsync(
      process.execPath,
      [tscPath, '--project', dir, '--noEmit', '--pretty', 'false'],
      { cwd: dir, timeout: TSC_TIMEOUT_MS },
    ).then(
      () => '',
      (error: unknown) => String((error as { stdout?: string }).stdout ?? error),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

describe("the README's example", () => {
  it('type-checks as a user would compile it, against the built packages', async () => {
    expect(await typeCheck(await readReadmeExample(path.join(packageDir, 'README.md')))).toBe('');
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
