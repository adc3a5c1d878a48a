// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The build before a benchmark run, and the run of its scripts one after the other, each with a
// fresh report file, collecting their figures.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import type { Problem } from '../check.ts';
import type { BenchOptions } from './bench-options.ts';
import { runBenchScript } from './bench-script.ts';
import type { CollectedFigure } from './bench-table.ts';

/** One script of a run: how it ended, how long it took, how many figures it reported. */
export interface ScriptSummary {
  readonly script: string;
  readonly exitCode: number;
  readonly durationMs: number;
  readonly figures: number;
  /** Why it reported nothing (its last line of output), when it exited 0 without figures. */
  readonly skipped?: string;
}

/** Builds every package (turbo); resolves with the exit code. */
export const build = (root: string, output: NodeJS.WritableStream): Promise<number> => {
  const turbo = path.join(root, 'tooling', 'turbo.ts');
  const child = spawn(process.execPath, [turbo, 'run', 'build', '--output-logs=errors-only'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(output, { end: false });
  child.stderr.pipe(output, { end: false });
  return new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
};

/** Runs `scripts` (relative to `root`) in turn, each from its package folder. */
export const runScripts = async (
  root: string,
  scripts: readonly string[],
  options: BenchOptions,
  output: NodeJS.WritableStream,
): Promise<{ summaries: ScriptSummary[]; figures: CollectedFigure[]; problems: Problem[] }> => {
  const summaries: ScriptSummary[] = [];
  const figures: CollectedFigure[] = [];
  const problems: Problem[] = [];
  const reports = await mkdtemp(path.join(os.tmpdir(), 'kindling-bench-'));
  try {
    for (const [index, script] of scripts.entries()) {
      output.write(`── ${script}\n`);
      const run = await runBenchScript({
        script: path.join(root, script),
        cwd: path.join(root, ...script.split('/').slice(0, 2)),
        reportFile: path.join(reports, `${index}.jsonl`),
        quick: options.quick,
        output,
      });
      figures.push(...run.figures.map((figure) => ({ ...figure, script })));
      const skipped = run.exitCode === 0 && run.figures.length === 0;
      summaries.push({
        script,
        exitCode: run.exitCode,
        durationMs: Math.round(run.durationMs),
        figures: run.figures.length,
        ...(skipped ? { skipped: run.lastLine } : {}),
      });
      if (run.exitCode !== 0) {
        problems.push({ file: script, message: `benchmark exited with code ${run.exitCode}` });
      }
      problems.push(
        ...run.badLines.map((line) => ({
          file: script,
          message: `a line of its report is not a figure: ${line.slice(0, 120)}`,
        })),
      );
    }
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
  return { summaries, figures, problems };
};
