// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckContext, CheckResult, Problem } from '../check.ts';
import { resultOf } from '../check.ts';
import { listFiles } from '../files.ts';
import {
  checkChainImports,
  checkRoleManifest,
  HELPERS,
  kindlingPackageOf,
} from '../style/chain.ts';
import { checkCodeTable, CODE_TABLE_FILE, findErrorCodes } from '../style/error-codes.ts';
import { checkManifest } from '../style/manifest.ts';
import {
  declaresTests,
  findForbiddenSyntax,
  findImports,
  findStarExports,
  type ImportSite,
} from '../style/source-file.ts';
import { readPackages, type WorkspacePackage } from '../workspace.ts';

const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/u;
const TEST_FILE = /\.test\.ts$/u;

const isTestPath = (relInPackage: string): boolean =>
  TEST_FILE.test(relInPackage) || /^(test|bench)\//u.test(relInPackage);

// What makes a test in test/ an integration test: it spawns processes (the fake VMM, a fixture of
// test/support/, or child_process itself).
const SPAWNING_IMPORT =
  /^(@kindling\/fake-vmm|@kindling\/test-utils|@kindling\/test-vm|node:child_process|\.\/support\/.*)$/u;

const checkTestName = (file: string, relInPackage: string, imports: readonly ImportSite[]) => {
  const problems: Problem[] = [];
  const isIntegrationName = relInPackage.endsWith('.int.test.ts');
  if (isIntegrationName && !relInPackage.startsWith('test/')) {
    problems.push({ file, message: 'integration tests (*.int.test.ts) live in test/' });
  } else if (
    !isIntegrationName &&
    /^test\/.*\.test\.ts$/u.test(relInPackage) &&
    imports.some((site) => SPAWNING_IMPORT.test(site.specifier))
  ) {
    problems.push({
      file,
      message:
        'a test in test/ that spawns processes is an integration test: name it *.int.test.ts',
    });
  }
  return problems;
};

const checkSourceFile = (pkg: WorkspacePackage, file: string, text: string): Problem[] => {
  const relInPackage = file.slice(pkg.dir.length + 1);
  const isTest = isTestPath(relInPackage);
  const imports = findImports(text);
  const problems = checkChainImports(pkg, file, isTest, imports);
  problems.push(...checkTestName(file, relInPackage, imports));
  if (/\.spec\.[cm]?[jt]s$/u.test(file) || (declaresTests(text) && !TEST_FILE.test(file))) {
    problems.push({ file, message: 'tests are named *.test.ts: rename this file' });
  }
  const isPackageSource = relInPackage.startsWith('src/') && !isTest;
  if (path.posix.basename(file) === 'index.ts') {
    for (const line of findStarExports(file, text)) {
      problems.push({
        file,
        line,
        message: '`export *` in an index.ts: list the public names one by one',
      });
    }
  }
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

// A package that imports the helpers from its sources must bundle them: the preset does.
const checkHelpersBundled = async (root: string, pkg: WorkspacePackage): Promise<Problem[]> => {
  const file = `${pkg.dir}/tsup.config.ts`;
  let text = '';
  try {
    text = await readFile(path.join(root, file), 'utf8');
  } catch {
    // No build config: nothing bundles the helpers.
  }
  return text.includes('definePackageBuild') || /noExternal[^\n]*@kindling\/helpers/u.test(text)
    ? []
    : [
        {
          file,
          message: `imports @kindling/${HELPERS} from its sources: build with definePackageBuild (or noExternal: ['@kindling/${HELPERS}']) so the helpers are bundled`,
        },
      ];
};

/**
 * The checks no linter does: the chain of imports and the roles of packages, the package.json
 * conventions of public packages, a README per public package, test file names, no default
 * exports, console output or `export *` in package sources, and the table of error codes.
 */
export const runStyle = async (context: CheckContext): Promise<CheckResult> => {
  const problems: Problem[] = [];
  const raisedCodes = new Map<string, Set<string>>();
  for (const pkg of await readPackages(context.root)) {
    problems.push(...checkRoleManifest(pkg));
    let importsHelpers = false;
    if (pkg.manifest.private !== true) {
      problems.push(...checkManifest(pkg));
      if (!existsSync(path.join(context.root, pkg.dir, 'README.md'))) {
        problems.push({
          file: `${pkg.dir}/README.md`,
          message: 'a public package needs a README.md',
        });
      }
    }
    const shortName = pkg.dir.split('/').at(-1) ?? pkg.dir;
    for (const file of await listFiles(context.root, [pkg.dir])) {
      if (SOURCE_FILE.test(file) && !file.endsWith('.d.ts')) {
        const text = await readFile(path.join(context.root, file), 'utf8');
        problems.push(...checkSourceFile(pkg, file, text));
        const relInPackage = file.slice(pkg.dir.length + 1);
        if (relInPackage.startsWith('src/') && !isTestPath(relInPackage)) {
          for (const code of findErrorCodes(file, text)) {
            raisedCodes.set(code, (raisedCodes.get(code) ?? new Set()).add(shortName));
          }
          importsHelpers ||= findImports(text).some(
            (site) => kindlingPackageOf(site.specifier) === HELPERS,
          );
        }
      }
    }
    if (importsHelpers && pkg.manifest.private !== true) {
      problems.push(...(await checkHelpersBundled(context.root, pkg)));
    }
  }
  const tablePath = path.join(context.root, CODE_TABLE_FILE);
  const tableText = existsSync(tablePath) ? await readFile(tablePath, 'utf8') : undefined;
  problems.push(...checkCodeTable(raisedCodes, tableText));
  return resultOf('style', problems);
};
