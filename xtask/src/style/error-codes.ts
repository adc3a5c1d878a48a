// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import ts from 'typescript';
import type { Problem } from '../check.ts';

/** The file holding the one table of error codes, relative to the repository root. */
export const CODE_TABLE_FILE = 'README.md';
const TABLE_HEADING = /^## Error codes\s*$/mu;

/** The codes of every `*ErrorCode` string-literal union declared in a source text. */
export const findErrorCodes = (fileName: string, text: string): string[] => {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const codes: string[] = [];
  const literalsOf = (node: ts.TypeNode): string[] => {
    if (ts.isUnionTypeNode(node)) {
      return node.types.flatMap(literalsOf);
    }
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) {
      return [node.literal.text];
    }
    return [];
  };
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text.endsWith('ErrorCode')) {
      codes.push(...literalsOf(statement.type));
    }
  }
  return codes;
};

/** One row of the table: the code, the packages it names as raising it, and its line. */
export interface CodeTableRow {
  readonly code: string;
  readonly raisedBy: readonly string[];
  readonly line: number;
}

/** The rows of the `## Error codes` table (`| \`CODE\` | meaning | \`pkg\`, … | what to do |`). */
export const parseCodeTable = (text: string): CodeTableRow[] | undefined => {
  const heading = TABLE_HEADING.exec(text);
  if (heading === null) {
    return undefined;
  }
  const lines = text.split('\n');
  const start = text.slice(0, heading.index).split('\n').length;
  const rows: CodeTableRow[] = [];
  for (let index = start; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line.startsWith('## ')) {
      break;
    }
    const cells = line.split('|').map((cell) => cell.trim());
    const code = /^`([A-Z0-9_]+)`$/u.exec(cells[1] ?? '')?.[1];
    if (code !== undefined) {
      const raisedBy = [...(cells[3] ?? '').matchAll(/`([a-z0-9-]+)`/gu)].map(
        (match) => match[1] ?? '',
      );
      rows.push({ code, raisedBy, line: index + 1 });
    }
  }
  return rows;
};

const sameSet = (left: ReadonlySet<string>, right: ReadonlySet<string>): boolean =>
  left.size === right.size && [...left].every((item) => right.has(item));

/**
 * Checks the table of error codes against the code unions: every code a package can raise is in
 * it, it names exactly the packages that raise each code, and it lists no code nobody raises.
 * `raised` maps each code to the short names of the packages whose unions hold it.
 */
export const checkCodeTable = (
  raised: ReadonlyMap<string, ReadonlySet<string>>,
  tableText: string | undefined,
): Problem[] => {
  const file = CODE_TABLE_FILE;
  const rows = tableText === undefined ? undefined : parseCodeTable(tableText);
  if (rows === undefined) {
    return raised.size === 0
      ? []
      : [{ file, message: 'needs a "## Error codes" section with the table of every error code' }];
  }
  const problems: Problem[] = [];
  const listed = new Map<string, CodeTableRow>();
  for (const row of rows) {
    if (listed.has(row.code)) {
      problems.push({ file, line: row.line, message: `${row.code} is listed twice` });
    }
    listed.set(row.code, row);
    const packages = raised.get(row.code);
    if (packages === undefined) {
      problems.push({
        file,
        line: row.line,
        message: `${row.code} is in the table, but no package's *ErrorCode union has it: remove the row`,
      });
    } else if (!sameSet(new Set(row.raisedBy), packages)) {
      problems.push({
        file,
        line: row.line,
        message: `${row.code} is raised by ${[...packages].map((name) => `\`${name}\``).join(', ')}, but the table says ${row.raisedBy.map((name) => `\`${name}\``).join(', ') || 'nothing'}`,
      });
    }
  }
  for (const [code, packages] of raised) {
    if (!listed.has(code)) {
      problems.push({
        file,
        message: `${code} (raised by ${[...packages].join(', ')}) is missing from the table of error codes: add a row`,
      });
    }
  }
  return problems;
};
