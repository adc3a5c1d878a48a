// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import type { CheckContext, CheckResult } from '../check.ts';
import { resultOf } from '../check.ts';
import { resolveTool } from '../run-tool.ts';
import { formatScenarioTable, parseScenarioReport, type ScenarioResult } from './e2e-report.ts';

const run = (
  command: string,
  args: readonly string[],
  cwd: string,
  output: NodeJS.WritableStream,
): Promise<number> => {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(output, { end: false });
  child.stderr.pipe(output, { end: false });
  return new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
};

/**
 * Runs the end-to-end scenarios (packages/e2e) against fake-vmm, or against a real Firecracker
 * when KINDLING_FIRECRACKER and friends are set, then prints a table of scenario × backend ×
 * result (or, with `json`, the results as JSON on stdout).
 */
export const runE2e = async (
  context: CheckContext & { readonly json?: boolean; readonly skipBuild?: boolean },
  output: NodeJS.WritableStream = process.stdout,
): Promise<CheckResult> => {
  // With --json, stdout carries the JSON only: progress goes to stderr.
  const progress = context.json === true ? process.stderr : output;
  if (context.skipBuild !== true) {
    const turbo = path.join(context.root, 'tooling', 'turbo.ts');
    const built = await run(
      process.execPath,
      [turbo, 'run', 'build', '--output-logs=errors-only'],
      context.root,
      progress,
    );
    if (built !== 0) {
      return resultOf('e2e', [{ file: 'turbo.json', message: 'the build failed: see above' }]);
    }
  }
  const reports = path.join(context.root, '.reports');
  const reportPath = path.join(reports, 'e2e.json');
  await mkdir(reports, { recursive: true });
  await rm(reportPath, { force: true });
  await run(
    resolveTool('vitest'),
    ['run', '--reporter=dot', '--reporter=json', `--outputFile.json=${reportPath}`],
    path.join(context.root, 'packages', 'e2e'),
    progress,
  );
  let results: ScenarioResult[];
  try {
    results = parseScenarioReport(JSON.parse(await readFile(reportPath, 'utf8')) as unknown);
  } catch (error) {
    return resultOf('e2e', [
      { file: 'packages/e2e', message: `no scenario report: ${String(error)}` },
    ]);
  }
  output.write(
    context.json === true
      ? `${JSON.stringify(results, null, 2)}\n`
      : `${formatScenarioTable(results)}\n`,
  );
  const failed = results.filter((result) => result.result === 'failed');
  return resultOf(
    'e2e',
    failed.map((result) => ({
      file: result.file,
      message: `${result.scenario}: ${result.reason ?? 'failed'}`,
    })),
  );
};
