// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import ts from 'typescript';

/** A module specifier found in a file, with the 1-based line it is on. */
export interface ImportSite {
  readonly specifier: string;
  readonly line: number;
}

const lineAt = (text: string, position: number): number => {
  let line = 1;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < position;
    index = text.indexOf('\n', index + 1)
  ) {
    line += 1;
  }
  return line;
};

/** Every module a file imports or re-exports, statically or with `import()`. */
export const findImports = (text: string): ImportSite[] =>
  ts
    .preProcessFile(text, true, true)
    .importedFiles.map((ref) => ({ specifier: ref.fileName, line: lineAt(text, ref.pos) }));

/** The default exports and `console.*` uses in a file, each with its line. */
export const findForbiddenSyntax = (
  fileName: string,
  text: string,
): { defaultExports: number[]; consoleUses: number[] } => {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const lineOf = (node: ts.Node): number =>
    source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const defaultExports: number[] = [];
  const consoleUses: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isExportAssignment(node) && node.isExportEquals !== true) {
      defaultExports.push(lineOf(node));
    } else if (
      ts.canHaveModifiers(node) &&
      ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword) ===
        true
    ) {
      defaultExports.push(lineOf(node));
    } else if (ts.isExportSpecifier(node) && node.name.getText(source) === 'default') {
      defaultExports.push(lineOf(node));
    } else if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'console'
    ) {
      consoleUses.push(lineOf(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { defaultExports, consoleUses };
};

/** The lines of `export * from …` and `export * as name from …` in a file. */
export const findStarExports = (fileName: string, text: string): number[] => {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  return source.statements
    .filter(
      (statement) =>
        ts.isExportDeclaration(statement) &&
        statement.moduleSpecifier !== undefined &&
        (statement.exportClause === undefined || ts.isNamespaceExport(statement.exportClause)),
    )
    .map((statement) => source.getLineAndCharacterOfPosition(statement.getStart(source)).line + 1);
};

/** Whether a file imports vitest's test-declaring functions (`describe`, `it`, `test`). */
export const declaresTests = (text: string): boolean =>
  /import\s*\{[^}]*\b(describe|it|test)\b[^}]*\}\s*from\s*['"]vitest['"]/u.test(text);
