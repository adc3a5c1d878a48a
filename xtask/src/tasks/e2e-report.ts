// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** One scenario's outcome on the backend of the run. */
export interface ScenarioResult {
  readonly scenario: string;
  readonly backend: string;
  readonly result: 'passed' | 'failed' | 'skipped';
  /** Why it was skipped, or the first line of its failure. */
  readonly reason?: string;
  readonly durationMs: number;
  readonly file: string;
}

interface VitestAssertion {
  readonly ancestorTitles: readonly string[];
  readonly title: string;
  readonly status: string;
  readonly duration?: number | null;
  readonly failureMessages?: readonly string[];
}

interface VitestReport {
  readonly testResults: readonly {
    readonly name: string;
    readonly assertionResults: readonly VitestAssertion[];
  }[];
}

const SKIP_NOTE = / \[skipped: (.*)\]$/u;

/** The backend a run drove, from the same variable the scenarios read. */
export const backendOf = (env: NodeJS.ProcessEnv): string =>
  env['KINDLING_FIRECRACKER'] === undefined || env['KINDLING_FIRECRACKER'] === ''
    ? 'fake-vmm'
    : 'firecracker';

/** The scenarios of vitest's JSON report; a skipped one's reason is the note in its title. */
export const parseScenarioReport = (
  report: unknown,
  backend: string = backendOf(process.env),
): ScenarioResult[] =>
  (report as VitestReport).testResults.flatMap((file) =>
    file.assertionResults.map((assertion) => {
      const note = SKIP_NOTE.exec(assertion.title);
      const title = note === null ? assertion.title : assertion.title.slice(0, note.index);
      const result =
        assertion.status === 'passed'
          ? 'passed'
          : assertion.status === 'failed'
            ? 'failed'
            : 'skipped';
      const reason =
        result === 'failed'
          ? (assertion.failureMessages?.[0]?.split('\n')[0] ?? 'failed')
          : result === 'skipped'
            ? (note?.[1] ?? 'skipped')
            : undefined;
      return {
        scenario: [...assertion.ancestorTitles, title].join(' › '),
        backend,
        result,
        ...(reason === undefined ? {} : { reason }),
        durationMs: Math.round(assertion.duration ?? 0),
        file: file.name.slice(file.name.indexOf('packages/')),
      } satisfies ScenarioResult;
    }),
  );

/** A plain-text table: scenario, backend, result, and the time or the reason. */
export const formatScenarioTable = (results: readonly ScenarioResult[]): string => {
  const rows = results.map((entry) => [
    entry.scenario,
    entry.backend,
    entry.result,
    entry.reason ?? `${(entry.durationMs / 1000).toFixed(1)} s`,
  ]);
  const header = ['scenario', 'backend', 'result', 'time / reason'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (column === 3 ? 0 : (row[column]?.length ?? 0)))),
  );
  const line = (row: readonly string[]): string =>
    row.map((cell, column) => (column === 3 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  const count = (kind: ScenarioResult['result']): number =>
    results.filter((entry) => entry.result === kind).length;
  return [
    line(header),
    line(widths.map((width, column) => '-'.repeat(column === 3 ? 13 : width))),
    ...rows.map(line),
    '',
    `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`,
  ].join('\n');
};
