// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The statistics every benchmark (`packages/*/bench/*.bench.ts`) reports, in one place, and how a
// figure reaches `pnpm xtask bench`'s table and JSON (`recordFigure`).

import { appendFileSync } from 'node:fs';
import process from 'node:process';

/** The sample at quantile `q` (0.5: the median) of unsorted samples; NaN when there are none. */
export const quantile = (samples: readonly number[], q: number): number => {
  // A typed array sorts numbers as numbers, in a copy of the caller's samples.
  const sorted = Float64Array.from(samples);
  sorted.sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

/** How long one run takes, in milliseconds. */
export const timeOnce = async (run: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};

/**
 * What Kindling is held to in one figure: its median at most `ratio` × the baseline's median
 * (`{ ratio: 1.2 }`), at most `max` (`{ max: 1 }`, in the figure's unit), or, for throughput and
 * other higher-is-better figures, at least `min`.
 */
export type BenchTarget =
  { readonly ratio: number } | { readonly max: number } | { readonly min: number };

/** One figure a benchmark measured, with the baseline's samples from the same run when it has one. */
export interface BenchFigure {
  /** The benchmark and what it measured: `process: lifecycle, unrestricted`. */
  readonly name: string;
  /** The samples' unit: `ms`, `µs`, `MiB`, `KiB`, `VMs/s`… */
  readonly unit: string;
  /** Kindling's samples. */
  readonly samples: readonly number[];
  /** The baseline's samples, taken alternating with Kindling's so that both see the same load. */
  readonly baseline?: readonly number[];
  readonly target?: BenchTarget;
  /** What the baseline is, when there is one: `child_process + node:net + fs.watch`. */
  readonly baselineName?: string;
}

/** A figure as `pnpm xtask bench` reports it: summaries only, no samples. */
export interface BenchSummary {
  readonly name: string;
  readonly unit: string;
  readonly n: number;
  readonly median: number;
  readonly p95: number;
  readonly baselineName?: string;
  readonly baselineMedian?: number;
  readonly baselineP95?: number;
  /** Kindling's median over the baseline's. */
  readonly ratio?: number;
  /** The target as words: `≤ 1.2× baseline`, `≤ 1 ms`, `≥ 5 VMs/s`. */
  readonly target?: string;
  readonly met?: boolean;
}

const targetWords = (target: BenchTarget, unit: string): string => {
  if ('ratio' in target) {
    return `≤ ${target.ratio}× baseline`;
  }
  return 'max' in target ? `≤ ${target.max} ${unit}` : `≥ ${target.min} ${unit}`;
};

const isMet = (target: BenchTarget, median: number, ratio: number | undefined): boolean => {
  if ('ratio' in target) {
    return ratio !== undefined && ratio <= target.ratio;
  }
  return 'max' in target ? median <= target.max : median >= target.min;
};

/** The summary of one figure: median, p95, the ratio to the baseline, and whether it meets its target. */
export const summarize = (figure: BenchFigure): BenchSummary => {
  const median = quantile(figure.samples, 0.5);
  const baseline = figure.baseline === undefined ? undefined : summarizeBaseline(figure.baseline);
  const ratio = baseline === undefined ? undefined : median / baseline.baselineMedian;
  return {
    name: figure.name,
    unit: figure.unit,
    n: figure.samples.length,
    median,
    p95: quantile(figure.samples, 0.95),
    ...(figure.baselineName === undefined ? {} : { baselineName: figure.baselineName }),
    ...baseline,
    ...(ratio === undefined ? {} : { ratio }),
    ...(figure.target === undefined
      ? {}
      : {
          target: targetWords(figure.target, figure.unit),
          met: isMet(figure.target, median, ratio),
        }),
  };
};

const summarizeBaseline = (samples: readonly number[]) => ({
  baselineMedian: quantile(samples, 0.5),
  baselineP95: quantile(samples, 0.95),
});

const figureText = (value: number): string =>
  Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);

/** One line a person reads: `name: median 1.23 ms, p95 …; baseline …; ratio 1.10 (target ≤ 1.2× baseline: met)`. */
export const formatSummary = (summary: BenchSummary): string => {
  const own = `median ${figureText(summary.median)} ${summary.unit}, p95 ${figureText(summary.p95)} ${summary.unit} (n=${summary.n})`;
  const baseline =
    summary.baselineMedian === undefined
      ? ''
      : `; baseline${summary.baselineName === undefined ? '' : ` (${summary.baselineName})`} median ${figureText(summary.baselineMedian)} ${summary.unit}, ratio ${summary.ratio?.toFixed(2)}`;
  const verdict =
    summary.target === undefined
      ? ''
      : ` (target ${summary.target}: ${summary.met === true ? 'met' : 'MISSED'})`;
  return `${summary.name}: ${own}${baseline}${verdict}`;
};

/**
 * Prints a figure's line and, when `pnpm xtask bench` runs the script (it names a file in
 * `KINDLING_BENCH_REPORT`), appends the figure's summary to that file as one JSON line.
 */
export const recordFigure = (figure: BenchFigure): BenchSummary => {
  const summary = summarize(figure);
  console.log(formatSummary(summary));
  const reportFile = process.env['KINDLING_BENCH_REPORT'];
  if (reportFile !== undefined && reportFile !== '') {
    appendFileSync(reportFile, `${JSON.stringify(summary)}\n`);
  }
  return summary;
};

/** True under `pnpm xtask bench --quick`: take fewer samples, for a run of a few minutes. */
export const isQuickRun = (): boolean => process.env['KINDLING_BENCH_QUICK'] === '1';

/** `full` samples, or `quick` of them under `--quick`. */
export const sampleCount = (full: number, quick: number): number => (isQuickRun() ? quick : full);
