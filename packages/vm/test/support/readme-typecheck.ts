// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { repositoryDir, type ReadmeBlock } from './readme-blocks.ts';

const execFileAsync = promisify(execFile);

// Inside this package, so that every `@kindling/*` import resolves by name to a built package's
// .d.ts, as it would in a user's project. The folder is git-ignored and removed after each check.
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const tscPath = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// A bound, not an expectation: one tsc run over every block takes seconds, more on a busy machine.
const TSC_TIMEOUT_MS = 120_000;

/** A block to type-check, with what the README states elsewhere: imports, earlier variables. */
export interface TypeCheckedBlock {
  readonly block: ReadmeBlock;
  /** TypeScript put before the block, e.g. `declare const vm: Vm;` for a fragment. */
  readonly prelude: string;
}

/** One compiler error, placed in the README. */
export interface ReadmeTypeError {
  readonly blockId: string;
  /** `<readme>:<line>:<column>`, or the prelude's line when the error is in the prelude. */
  readonly where: string;
  readonly message: string;
}

const DIAGNOSTIC = /^(?<file>[^(\n]+)\((?<line>\d+),(?<column>\d+)\): (?<message>error .*)$/u;

/**
 * Type-checks each block as a module of its own (its prelude first) with the repository's
 * TypeScript and compiler options, in one `tsc` run.
 */
export const typeCheckBlocks = async (
  blocks: readonly TypeCheckedBlock[],
): Promise<ReadmeTypeError[]> => {
  const dir = await mkdtemp(path.join(packageDir, '.readme-typecheck-'));
  try {
    const files = new Map<string, TypeCheckedBlock>();
    await Promise.all(
      blocks.map(async (checked, index) => {
        const file = `block-${index}.ts`;
        files.set(file, checked);
        // `export {}` keeps a block without imports a module, so top-level await is allowed.
        await writeFile(
          path.join(dir, file),
          `${checked.prelude}\nexport {};\n${checked.block.code}`,
        );
      }),
    );
    await writeFile(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: path.relative(dir, path.join(repositoryDir, 'tooling/tsconfig.base.json')),
        include: ['*.ts'],
      }),
    );
    const result = await execFileAsync(
      process.execPath,
      [tscPath, '--project', dir, '--noEmit', '--pretty', 'false'],
      { cwd: dir, timeout: TSC_TIMEOUT_MS },
    ).then(
      () => '',
      (error: unknown) => {
        const { stdout, code } = error as { stdout?: string; code?: unknown };
        // tsc exits 2 with diagnostics; anything else (a crash, the timeout) is no answer.
        if (code !== 2 || stdout === undefined || stdout === '') {
          throw error;
        }
        return stdout;
      },
    );
    return result
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const found = DIAGNOSTIC.exec(line)?.groups;
        const checked =
          found === undefined ? undefined : files.get(path.basename(found['file'] ?? ''));
        if (found === undefined || checked === undefined) {
          return { blockId: '(none)', where: '(tsc)', message: line };
        }
        const preludeLines = checked.prelude.split('\n').length + 1;
        const lineInFile = Number(found['line']);
        const where =
          lineInFile > preludeLines
            ? `${checked.block.readme}:${checked.block.line + lineInFile - preludeLines - 1}:${found['column']}`
            : `the test's prelude, line ${lineInFile}`;
        return { blockId: checked.block.id, where, message: found['message'] ?? line };
      });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
