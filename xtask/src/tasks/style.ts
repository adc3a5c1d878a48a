// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckContext, CheckResult, Problem } from '../check.ts';
import { resultOf } from '../check.ts';
import { listFiles } from '../files.ts';
import { checkChainImports } from '../style/chain.ts';
import { checkManifest } from '../style/manifest.ts';
import { declaresTests, findForbiddenSyntax, findImports } from '../style/source-file.ts';
import { readPackages, type WorkspacePackage } from '../workspace.ts';

const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/u;
const TEST_FILE = /\.test\.ts$/u;

const isTestPath = (relInPackage: string): boolean =>
  TEST_FILE.test(relInPackage) || /^(test|bench)\//u.test(relInPackage);

const checkSourceFile = (pkg: WorkspacePackage, file: string, text: string): Problem[] => {
  const relInPackage = file.slice(pkg.dir.length + 1);
  const isTest = isTestPath(relInPackage);
  const problems = checkChainImports(pkg, file, isTest, findImports(text));
  if (/\.spec\.[cm]?[jt]s$/u.test(file) || (declaresTests(text) && !TEST_FILE.test(file))) {
    problems.push({ file, message: 'tests are named *.test.ts: rename this file' });
  }
  const isPackageSource = relInPackage.startsWith('src/') && !isTest;
  if (isPackageSource) {
    const { defaultExports, consoleUses } = findForbiddenSyntax(file, text);
    for (const line of defaultExports) {
      problems.push({ file, line, message: 'default export: export it by name instead' });
    }
    for (const line of consoleUses) {
      problems.push({
        file,
        line,
        message: 'console.* in package source: take a logger option instead',
      });
    }
  }
  return problems;
};

/**
 * The checks no linter does: the chain of imports, the package.json conventions of public
 * packages, a README per public package, test file names, and no default exports or console
 * output in package sources.
 */
export const runStyle = async (context: CheckContext): Promise<CheckResult> => {
  const problems: Problem[] = [];
  for (const pkg of await readPackages(context.root)) {
    if (pkg.manifest.private !== true) {
      problems.push(...checkManifest(pkg));
      if (!existsSync(path.join(context.root, pkg.dir, 'README.md'))) {
        problems.push({
          file: `${pkg.dir}/README.md`,
          message: 'a public package needs a README.md',
        });
      }
    }
    for (const file of await listFiles(context.root, [pkg.dir])) {
      if (SOURCE_FILE.test(file) && !file.endsWith('.d.ts')) {
        problems.push(
          ...checkSourceFile(pkg, file, await readFile(path.join(context.root, file), 'utf8')),
        );
      }
    }
  }
  return resultOf('style', problems);
};
