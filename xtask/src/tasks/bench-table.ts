// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The table of `pnpm xtask bench`: one row per figure, as text for the terminal and as Markdown
// for `.reports/bench.md` and the root README.

import type { BenchSummary } from '../../../tooling/bench-stats.ts';

/** A figure as a run collected it: its summary and the script that reported it. */
export type CollectedFigure = BenchSummary & { readonly script: string };

const HEADINGS = ['figure', 'median', 'p95', 'baseline median', 'ratio', 'target', 'verdict'];

// A figure's numbers went through JSON: NaN (no samples) and Infinity (a baseline of 0) are null.
const isNumber = (value: number | null | undefined): value is number =>
  typeof value === 'number' && Number.isFinite(value);

const number = (value: number): string =>
  Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);

const withUnit = (value: number | null | undefined, unit: string): string => {
  if (value === undefined) {
    return '';
  }
  return isNumber(value) ? `${number(value)} ${unit}` : '–';
};

const verdictOf = (figure: BenchSummary): string => {
  if (figure.met === undefined) {
    return '';
  }
  return figure.met ? 'met' : 'MISSED';
};

/** The cells of a figure's row, in the order of the headings. */
export const rowOf = (figure: BenchSummary): string[] => [
  `${figure.name} (n=${figure.n})`,
  withUnit(figure.median, figure.unit),
  withUnit(figure.p95, figure.unit),
  figure.baselineMedian === undefined
    ? ''
    : `${withUnit(figure.baselineMedian, figure.unit)}${figure.baselineName === undefined ? '' : ` (${figure.baselineName})`}`,
  figure.ratio === undefined ? '' : isNumber(figure.ratio) ? `${figure.ratio.toFixed(2)}×` : '–',
  figure.target ?? '',
  verdictOf(figure),
];

/** The figures as a table of aligned columns. */
export const formatBenchTable = (figures: readonly BenchSummary[]): string => {
  const rows = [HEADINGS, ...figures.map(rowOf)];
  const widths = HEADINGS.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: readonly string[]): string =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(rows[0] ?? []),
    line(widths.map((width) => '─'.repeat(width))),
    ...rows.slice(1).map(line),
  ].join('\n');
};

const markdownCell = (cell: string): string => cell.replaceAll('|', String.raw`\|`);

const markdownLine = (row: readonly string[]): string => `| ${row.map(markdownCell).join(' | ')} |`;

/** The figures as a Markdown table; a missed target is in bold. */
export const formatBenchMarkdown = (figures: readonly BenchSummary[]): string => {
  const rows = figures.map((figure) => {
    const row = rowOf(figure);
    return figure.met === false ? [...row.slice(0, -1), '**MISSED**'] : row;
  });
  return [
    markdownLine(HEADINGS),
    markdownLine(HEADINGS.map((_, column) => (column === 0 ? '---' : '---:'))),
    ...rows.map(markdownLine),
  ].join('\n');
};
