// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { resultOf, type CheckContext, type CheckResult } from '../check.ts';
import { listFiles } from '../files.ts';
import { describeMachine, formatMachine, type BenchMachine } from './bench-machine.ts';
import { selectScripts, type BenchOptions } from './bench-options.ts';
import { writeBenchBlock } from './bench-readme.ts';
import { build, runScripts, type ScriptSummary } from './bench-collect.ts';
import { formatBenchMarkdown, formatBenchTable, type CollectedFigure } from './bench-table.ts';

const BENCH_FILE = /^packages\/[^/]+\/bench\/[^/]+\.bench\.ts$/u;

/** Every benchmark script: `packages/<pkg>/bench/*.bench.ts`, standalone Node scripts. */
export const findBenchmarks = async (root: string): Promise<string[]> =>
  (await listFiles(root, ['packages'])).filter((file) => BENCH_FILE.test(file));

/** A whole run, as `.reports/bench.json` holds it. */
export interface BenchRun {
  readonly startedAt: string;
  readonly durationMs: number;
  readonly quick: boolean;
  readonly only: readonly string[];
  readonly machine: BenchMachine;
  readonly scripts: readonly ScriptSummary[];
  readonly figures: readonly CollectedFigure[];
}

/** The Markdown of a run: its table, then one line of machine facts, then what skipped. */
export const formatRunMarkdown = (run: BenchRun): string => {
  const skipped = run.scripts.filter((script) => script.skipped !== undefined);
  return [
    formatBenchMarkdown(run.figures),
    '',
    formatMachine(run.machine, new Date(run.startedAt), run.quick),
    ...(skipped.length === 0
      ? []
      : ['', ...skipped.map((script) => `- skipped: \`${script.script}\`: ${script.skipped}`)]),
  ].join('\n');
};

/**
 * Runs the benchmark scripts (after a build unless `skipBuild`; only those `only` selects), each
 * with a fresh report file, streaming their output; then prints one table of every figure and
 * writes the run to `.reports/bench.json` and the table to `.reports/bench.md`. Fails naming each
 * script that exited non-zero, and, with `strict`, each figure that missed its target.
 */
export const runBench = async (
  context: CheckContext & { readonly options: BenchOptions },
  output: NodeJS.WritableStream = process.stdout,
): Promise<CheckResult> => {
  const { options, root } = context;
  if (!options.skipBuild && (await build(root, output)) !== 0) {
    return resultOf('bench', [{ file: 'turbo.json', message: 'the build failed: see above' }]);
  }
  const scripts = selectScripts(await findBenchmarks(root), options.only);
  if (scripts.length === 0) {
    return resultOf('bench', [
      { file: 'packages', message: `no benchmark's path contains ${options.only.join(' or ')}` },
    ]);
  }
  const startedAt = new Date();
  const machine = await describeMachine();
  const started = performance.now();
  const { summaries, figures, problems } = await runScripts(root, scripts, options, output);
  const run: BenchRun = {
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    quick: options.quick,
    only: options.only,
    machine,
    scripts: summaries,
    figures,
  };
  const markdown = formatRunMarkdown(run);
  const reports = path.join(root, '.reports');
  await mkdir(reports, { recursive: true });
  await writeFile(path.join(reports, 'bench.json'), `${JSON.stringify(run, null, 2)}\n`);
  await writeFile(path.join(reports, 'bench.md'), `${markdown}\n`);
  output.write(
    `\n${formatBenchTable(figures)}\n\n${formatMachine(machine, startedAt, options.quick)}\n`,
  );
  for (const script of summaries.filter((summary) => summary.skipped !== undefined)) {
    output.write(`skipped: ${script.script}: ${script.skipped}\n`);
  }
  output.write(
    `${figures.length} figure(s) from ${scripts.length} script(s) in ${(run.durationMs / 1000).toFixed(0)} s; written to .reports/bench.json and .reports/bench.md\n`,
  );
  if (options.strict) {
    problems.push(
      ...figures
        .filter((figure) => figure.met === false)
        .map((figure) => ({
          file: figure.script,
          message: `${figure.name}: missed its target (${figure.target})`,
        })),
    );
  }
  if (options.writeReadme) {
    if (problems.length === 0) {
      await writeBenchBlock(path.join(root, 'README.md'), markdown);
      output.write('README.md: the table is this run’s\n');
    } else {
      problems.push({ file: 'README.md', message: 'not updated: the run failed (see above)' });
    }
  }
  return resultOf('bench', problems);
};
