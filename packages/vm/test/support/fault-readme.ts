// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FaultRow } from './fault-table.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The README's fault table's header cells. */
export const FAULT_TABLE_HEADER = ['Fault', 'The call that meets it', 'Error', 'State', 'Event'];

const code = (text: string): string => `\`${text}\``;

/** A row as the README's table shows it, one string per cell. */
export const renderFaultRow = (row: FaultRow): string[] => {
  const { error, state, event } = row.expected;
  const thrown =
    error === undefined
      ? 'none: it succeeds'
      : `${code(error.name)} ${code(error.code)}${error.cause === undefined ? '' : ` (cause ${code(error.cause)})`}`;
  return [row.fault, code(row.call), thrown, code(state), event === undefined ? '—' : code(event)];
};

/**
 * The cells of the table under `## Faults` in the package README, header first, each trimmed: the
 * README's layout (column widths) is the formatter's business, its content this test's.
 */
export const readReadmeFaultTable = async (): Promise<string[][]> => {
  const text = await readFile(README, 'utf8');
  const section = text.split(/^## /mu).find((part) => part.startsWith('Faults\n')) ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s:|-]+\|$/u.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/u)
        .map((cell) => cell.trim()),
    );
};

/** The table as Markdown, to paste under `## Faults` when the matrix changes. */
export const formatFaultTable = (cells: readonly (readonly string[])[]): string =>
  cells
    .flatMap((row, index) => [
      `| ${row.join(' | ')} |`,
      ...(index === 0 ? [`|${row.map(() => ' --- ').join('|')}|`] : []),
    ])
    .join('\n');
