// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../testing/fixture.ts';
import type { BenchOptions } from './bench-options.ts';
import { README_TABLE_END, README_TABLE_START } from './bench-readme.ts';
import { runBenchScript } from './bench-script.ts';
import { backendOf } from './e2e-report.ts';
import { findBenchmarks, runBench, type BenchRun } from './bench.ts';

const STATS = path.join(import.meta.dirname, '..', '..', '..', 'tooling', 'bench-stats.ts');
const OPTIONS: BenchOptions = {
  skipBuild: true,
  quick: false,
  strict: false,
  writeReadme: false,
  only: [],
};

let fixture: Fixture;

beforeEach(async () => {
  fixture = await createFixture();
  // The scripts report through the repository's own recordFigure.
  await fixture.write('tooling/bench-stats.ts', await readFile(STATS, 'utf8'));
});

afterEach(async () => {
  await fixture.dispose();
});

const collect = (stream: PassThrough): (() => string) => {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
};

const bench = async (options: Partial<BenchOptions> = {}) => {
  const output = new PassThrough();
  const text = collect(output);
  const result = await runBench(
    { root: fixture.root, options: { ...OPTIONS, ...options } },
    output,
  );
  return { result, text: text() };
};

const readRun = async (): Promise<BenchRun> =>
  JSON.parse(await readFile(path.join(fixture.root, '.reports', 'bench.json'), 'utf8')) as BenchRun;

/** A script reporting one figure with `recordFigure`; `extra` runs after it. */
const figureScript = (figure: string, extra = ''): string =>
  `import { recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';\n` +
  `recordFigure(${figure});\n${extra}`;

const API_FIGURE =
  "{ name: 'a: api call', unit: 'ms', samples: [1, 2, 3, 4], baseline: [1, 1, 2, 2], baselineName: 'raw', target: { ratio: 1.2 } }";
const SPAWN_FIGURE =
  "{ name: 'b: spawn', unit: 'ms', samples: Array.from({ length: sampleCount(10, 2) }, () => 3), target: { max: 5 } }";

describe('bench', () => {
  it('finds only packages/*/bench/*.bench.ts', async () => {
    await fixture.write('packages/a/bench/api.bench.ts', '');
    await fixture.write('packages/a/bench/helper.ts', '');
    await fixture.write('packages/a/src/x.bench.ts', '');
    expect(await findBenchmarks(fixture.root)).toEqual(['packages/a/bench/api.bench.ts']);
  });

  it('runs each benchmark in its package folder and streams its output', async () => {
    await fixture.write(
      'packages/a/bench/api.bench.ts',
      "import process from 'node:process';\nconst label: string = 'hello';\nprocess.stdout.write(`${process.cwd()} ${label}\\n`);\n",
    );
    const { result, text } = await bench();
    expect(result.ok).toBe(true);
    expect(text).toContain(`── packages/a/bench/api.bench.ts\n${fixture.root}/packages/a hello`);
  });

  it('collects every figure into one table, .reports/bench.json and .reports/bench.md', async () => {
    await fixture.write('packages/a/bench/api.bench.ts', figureScript(API_FIGURE));
    await fixture.write('packages/b/bench/spawn.bench.ts', figureScript(SPAWN_FIGURE));
    const { result, text } = await bench();
    // 2.5 ms against 1.5 ms: a ratio of 1.67, over its 1.2 target; a miss alone fails nothing.
    expect(result.ok).toBe(true);
    expect(text).toMatch(
      /a: api call \(n=4\) +3\.00 ms +4\.00 ms +2\.00 ms \(raw\) +1\.50× +≤ 1\.2× baseline +MISSED/u,
    );
    expect(text).toMatch(/b: spawn \(n=10\) +3\.00 ms +3\.00 ms +≤ 5 ms +met/u);
    const run = await readRun();
    expect(run.figures.map((figure) => [figure.script, figure.name, figure.met])).toEqual([
      ['packages/a/bench/api.bench.ts', 'a: api call', false],
      ['packages/b/bench/spawn.bench.ts', 'b: spawn', true],
    ]);
    expect(run.quick).toBe(false);
    expect(run.machine.backend).toBe(backendOf(process.env));
    expect(run.machine.cores).toBeGreaterThan(0);
    expect(run.machine.node).toBe(process.version);
    expect(run.scripts.map((script) => [script.script, script.exitCode, script.figures])).toEqual([
      ['packages/a/bench/api.bench.ts', 0, 1],
      ['packages/b/bench/spawn.bench.ts', 0, 1],
    ]);
    const markdown = await readFile(path.join(fixture.root, '.reports', 'bench.md'), 'utf8');
    expect(markdown).toContain(
      '| a: api call (n=4) | 3.00 ms | 4.00 ms | 2.00 ms (raw) | 1.50× | ≤ 1.2× baseline | **MISSED** |',
    );
    expect(markdown).toContain(`Run of ${run.startedAt.slice(0, 10)}`);
  });

  it('fails on a missed target under --strict', async () => {
    await fixture.write('packages/a/bench/api.bench.ts', figureScript(API_FIGURE));
    const { result } = await bench({ strict: true });
    expect(result.problems).toEqual([
      {
        file: 'packages/a/bench/api.bench.ts',
        message: 'a: api call: missed its target (≤ 1.2× baseline)',
      },
    ]);
  });

  it('sets KINDLING_BENCH_QUICK under --quick and runs only what --only names', async () => {
    await fixture.write('packages/a/bench/api.bench.ts', figureScript(API_FIGURE));
    await fixture.write('packages/b/bench/spawn.bench.ts', figureScript(SPAWN_FIGURE));
    const { result } = await bench({ quick: true, only: ['b/bench'] });
    expect(result.ok).toBe(true);
    const run = await readRun();
    expect(run.quick).toBe(true);
    expect(run.only).toEqual(['b/bench']);
    // sampleCount(10, 2): the quick count.
    expect(run.figures.map((figure) => [figure.name, figure.n])).toEqual([['b: spawn', 2]]);
  });

  it('fails when --only selects nothing', async () => {
    await fixture.write('packages/a/bench/api.bench.ts', figureScript(API_FIGURE));
    const { result } = await bench({ only: ['nothing-like-it'] });
    expect(result.problems).toEqual([
      { file: 'packages', message: "no benchmark's path contains nothing-like-it" },
    ]);
  });

  it('lists a script that reported nothing as skipped, with its last line as the reason', async () => {
    await fixture.write(
      'packages/a/bench/net.bench.ts',
      "console.log('starting');\nconsole.log('net bench skipped: needs root');\n",
    );
    const { result, text } = await bench();
    expect(result.ok).toBe(true);
    expect(text).toContain('skipped: packages/a/bench/net.bench.ts: net bench skipped: needs root');
    expect((await readRun()).scripts).toEqual([
      expect.objectContaining({ figures: 0, skipped: 'net bench skipped: needs root' }),
    ]);
  });

  it('fails naming a benchmark that exits non-zero, and keeps the figures of the others', async () => {
    await fixture.write('packages/a/bench/ok.bench.ts', figureScript(SPAWN_FIGURE));
    await fixture.write('packages/b/bench/broken.bench.ts', "throw new Error('boom');\n");
    const { result } = await bench();
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { file: 'packages/b/bench/broken.bench.ts', message: 'benchmark exited with code 1' },
    ]);
    expect((await readRun()).figures.map((figure) => figure.name)).toEqual(['b: spawn']);
  });

  it('stops a script that runs past its bound and counts it as failed', async () => {
    await fixture.write('packages/a/bench/hang.bench.ts', 'setInterval(() => {}, 1_000);\n');
    const output = new PassThrough();
    const text = collect(output);
    const run = await runBenchScript({
      script: path.join(fixture.root, 'packages/a/bench/hang.bench.ts'),
      cwd: fixture.root,
      reportFile: path.join(fixture.root, 'report.jsonl'),
      quick: false,
      output,
      timeoutMs: 300,
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.figures).toEqual([]);
    expect(text()).toContain('hang.bench.ts ran past its bound: stopping it');
  });

  it('fails on a report line that is not a figure', async () => {
    await fixture.write(
      'packages/a/bench/odd.bench.ts',
      "import { appendFileSync } from 'node:fs';\nappendFileSync(process.env['KINDLING_BENCH_REPORT'] ?? '', 'not json\\n');\n",
    );
    const { result } = await bench();
    expect(result.problems).toEqual([
      {
        file: 'packages/a/bench/odd.bench.ts',
        message: 'a line of its report is not a figure: not json',
      },
    ]);
  });

  it('replaces the README block with --write-readme', async () => {
    await fixture.write(
      'README.md',
      `# Kindling\n\n## Performance\n\n${README_TABLE_START}\nold table\n${README_TABLE_END}\n\n## Next\n`,
    );
    await fixture.write('packages/b/bench/spawn.bench.ts', figureScript(SPAWN_FIGURE));
    const { result } = await bench({ writeReadme: true });
    expect(result.ok).toBe(true);
    const readme = await readFile(path.join(fixture.root, 'README.md'), 'utf8');
    const markdown = await readFile(path.join(fixture.root, '.reports', 'bench.md'), 'utf8');
    expect(readme).toBe(
      `# Kindling\n\n## Performance\n\n${README_TABLE_START}\n${markdown.trim()}\n${README_TABLE_END}\n\n## Next\n`,
    );
  });
});
