// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import type { CheckContext, CheckResult, Problem } from '../check.ts';
import { resultOf } from '../check.ts';
import { listFiles } from '../files.ts';

const BENCH_FILE = /^packages\/[^/]+\/bench\/[^/]+\.bench\.ts$/u;

/** Every benchmark script: `packages/<pkg>/bench/*.bench.ts`, standalone Node scripts. */
export const findBenchmarks = async (root: string): Promise<string[]> =>
  (await listFiles(root, ['packages'])).filter((file) => BENCH_FILE.test(file));

const runNode = (
  args: readonly string[],
  cwd: string,
  output: NodeJS.WritableStream,
): Promise<number> => {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(output, { end: false });
  child.stderr.pipe(output, { end: false });
  return new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
};

/**
 * Runs every package's benchmark scripts in turn (after a build unless `skipBuild`), streaming
 * their figures to `output`; fails naming each script that exited non-zero.
 */
export const runBench = async (
  context: CheckContext & { readonly skipBuild?: boolean },
  output: NodeJS.WritableStream = process.stdout,
): Promise<CheckResult> => {
  const problems: Problem[] = [];
  if (context.skipBuild !== true) {
    const turbo = path.join(context.root, 'tooling', 'turbo.ts');
    const build = await runNode(
      [turbo, 'run', 'build', '--output-logs=errors-only'],
      context.root,
      output,
    );
    if (build !== 0) {
      return resultOf('bench', [{ file: 'turbo.json', message: 'the build failed: see above' }]);
    }
  }
  for (const file of await findBenchmarks(context.root)) {
    output.write(`── ${file}\n`);
    const packageDir = path.join(context.root, ...file.split('/').slice(0, 2));
    const code = await runNode([path.join(context.root, file)], packageDir, output);
    if (code !== 0) {
      problems.push({ file, message: `benchmark exited with code ${code}` });
    }
  }
  return resultOf('bench', problems);
};
