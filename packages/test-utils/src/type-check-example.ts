// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const tscPath = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const baseConfig = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'tooling',
  'tsconfig.base.json',
);
// A bound, not an expectation: tsc takes seconds, more on a busy machine.
const TSC_TIMEOUT_MS = 120_000;

/**
 * tsc's errors for a TypeScript module, compiled inside `packageDir` (so that `@kindling/*`
 * resolve by name to built .d.ts files, as in a user's project) with the repository's options;
 * '' when it compiles. The folder (`.readme-typecheck-*`, git-ignored) is removed.
 */
export const typeCheckExample = async (code: string, packageDir: string): Promise<string> => {
  const dir = await mkdtemp(path.join(packageDir, '.readme-typecheck-'));
  try {
    await writeFile(path.join(dir, 'example.ts'), `export {};\n${code}`);
    await writeFile(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: baseConfig, include: ['*.ts'] }),
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
