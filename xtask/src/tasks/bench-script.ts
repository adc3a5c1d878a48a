// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Runs one benchmark script and collects the figures it reports (`recordFigure` in
// tooling/bench-stats.ts appends each as a JSON line to the file in KINDLING_BENCH_REPORT).

import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import process from 'node:process';
import type { BenchSummary } from '../../../tooling/bench-stats.ts';

/** What one script did. */
export interface ScriptRun {
  readonly exitCode: number;
  readonly durationMs: number;
  readonly figures: readonly BenchSummary[];
  /** The lines of the report file that were not figures. */
  readonly badLines: readonly string[];
  /** The script's last line of output: why it skipped, when it reported nothing. */
  readonly lastLine: string;
}

/** How long one script may run before it is stopped (the soak's 600 s fit several times). */
export const SCRIPT_TIMEOUT_MS = 45 * 60_000;
const KILL_GRACE_MS = 10_000;

const isSummary = (value: unknown): value is BenchSummary => {
  const figure = value as Partial<BenchSummary> | null;
  return (
    typeof figure === 'object' &&
    figure !== null &&
    typeof figure.name === 'string' &&
    typeof figure.unit === 'string' &&
    // NaN, a figure without samples, reaches JSON as null.
    (typeof figure.median === 'number' || figure.median === null)
  );
};

const parseReport = (text: string): { figures: BenchSummary[]; badLines: string[] } => {
  const figures: BenchSummary[] = [];
  const badLines: string[] = [];
  for (const line of text.split('\n').filter((row) => row.trim() !== '')) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (isSummary(value)) {
      figures.push(value);
    } else {
      badLines.push(line);
    }
  }
  return { figures, badLines };
};

/**
 * Runs `script` with Node in `cwd`, streaming its output to `output`, with its figures going to
 * `reportFile` (emptied first); `quick` sets KINDLING_BENCH_QUICK=1. A script still running after
 * `timeoutMs` gets SIGTERM, then SIGKILL, and counts as failed.
 */
export const runBenchScript = async (options: {
  readonly script: string;
  readonly cwd: string;
  readonly reportFile: string;
  readonly quick: boolean;
  readonly output: NodeJS.WritableStream;
  readonly timeoutMs?: number;
}): Promise<ScriptRun> => {
  await writeFile(options.reportFile, '');
  const started = performance.now();
  const child = spawn(process.execPath, [options.script], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      KINDLING_BENCH_REPORT: options.reportFile,
      KINDLING_BENCH_QUICK: options.quick ? '1' : '0',
    },
  });
  let tail = '';
  const keepTail = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-4096);
  };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);
  child.stdout.pipe(options.output, { end: false });
  child.stderr.pipe(options.output, { end: false });
  let timedOut = false;
  let killer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    options.output.write(`xtask bench: ${options.script} ran past its bound: stopping it\n`);
    child.kill('SIGTERM');
    killer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  }, options.timeoutMs ?? SCRIPT_TIMEOUT_MS);
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exit) => resolve(exit ?? 1));
  }).finally(() => {
    clearTimeout(timer);
    clearTimeout(killer);
  });
  const { figures, badLines } = parseReport(await readFile(options.reportFile, 'utf8'));
  const lines = tail.split('\n').filter((line) => line.trim() !== '');
  return {
    exitCode: timedOut && code === 0 ? 1 : code,
    durationMs: performance.now() - started,
    figures,
    badLines,
    lastLine: lines.at(-1)?.trim() ?? '',
  };
};
