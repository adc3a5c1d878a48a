// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../testing/fixture.ts';
import { findBenchmarks, runBench } from './bench.ts';

let fixture: Fixture;

beforeEach(async () => {
  fixture = await createFixture();
});

afterEach(async () => {
  await fixture.dispose();
});

const collect = (stream: PassThrough): (() => string) => {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
};

describe('bench', () => {
  it('finds only packages/*/bench/*.bench.ts', async () => {
    await fixture.write('packages/a/bench/api.bench.ts', '');
    await fixture.write('packages/a/bench/helper.ts', '');
    await fixture.write('packages/a/src/x.bench.ts', '');
    expect(await findBenchmarks(fixture.root)).toEqual(['packages/a/bench/api.bench.ts']);
  });

  it('runs each benchmark in its package folder and streams its figures', async () => {
    await fixture.write(
      'packages/a/bench/api.bench.ts',
      "import process from 'node:process';\nconst label: string = 'median 0.2 ms';\nprocess.stdout.write(`${process.cwd()} ${label}\\n`);\n",
    );
    const output = new PassThrough();
    const text = collect(output);
    const result = await runBench({ root: fixture.root, skipBuild: true }, output);
    expect(result.ok).toBe(true);
    expect(text()).toContain(
      `── packages/a/bench/api.bench.ts\n${fixture.root}/packages/a median 0.2 ms`,
    );
  });

  it('fails naming a benchmark that exits non-zero', async () => {
    await fixture.write('packages/a/bench/ok.bench.ts', '');
    await fixture.write('packages/b/bench/broken.bench.ts', "throw new Error('boom');\n");
    const output = new PassThrough();
    const result = await runBench({ root: fixture.root, skipBuild: true }, output);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { file: 'packages/b/bench/broken.bench.ts', message: 'benchmark exited with code 1' },
    ]);
  });
});
