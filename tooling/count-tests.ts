// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Prints each package's `N passed, M failed` from the vitest JSON reports, then the total, so each
// CI run records its test count. Exits non-zero when a test or a test file failed, or when a
// package with a test script left no report (its vitest crashed, or never ran): such a package is
// named and counted as failed. `--clear` removes every report first, so that a report left by an
// earlier run is never counted for this one (`pnpm test` clears before turbo runs the tests;
// turbo restores the reports of the packages it takes from its cache).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

interface VitestAssertion {
  readonly fullName?: string;
  readonly status?: string;
  readonly failureMessages?: readonly string[];
}

interface VitestFileResult {
  readonly name?: string;
  readonly status?: string;
  readonly message?: string;
  readonly assertionResults?: readonly VitestAssertion[];
}

interface VitestJsonReport {
  readonly testResults?: readonly VitestFileResult[];
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numFailedTestSuites?: number;
  readonly success?: boolean;
}

interface PackageManifest {
  readonly name?: string;
  readonly scripts?: Readonly<Record<string, string>>;
}

const root = path.resolve(import.meta.dirname, '..');
const packagesRoot = path.join(root, 'packages');
const candidateDirs = [
  ...(existsSync(packagesRoot) ? readdirSync(packagesRoot, { withFileTypes: true }) : [])
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(packagesRoot, entry.name)),
  path.join(root, 'examples'),
  path.join(root, 'xtask'),
];

const readManifest = (dir: string): PackageManifest | undefined => {
  const file = path.join(dir, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PackageManifest) : undefined;
};

// Only packages that have tests to run are expected to leave a report.
const tested = candidateDirs.flatMap((dir) => {
  const manifest = readManifest(dir);
  return manifest?.scripts?.['test'] === undefined
    ? []
    : [{ dir, name: manifest.name ?? path.basename(dir) }];
});
const reportOf = (dir: string): string => path.join(dir, '.reports', 'vitest.json');

if (process.argv.includes('--clear')) {
  for (const { dir } of tested) {
    rmSync(reportOf(dir), { force: true });
  }
  process.exit(0);
}

// The first line of a failure, enough to tell a timeout from an assertion in a CI log's tail.
const firstLine = (text: string | undefined): string =>
  (text ?? '')
    .split('\n')
    .find((line) => line.trim() !== '')
    ?.trim()
    .slice(0, 300) ?? '';

// Each failed test (or test file that failed outside any test) as `file › test: message`, since a
// CI log often keeps only its tail, where the test runner's own account has scrolled away.
const failuresIn = (report: VitestJsonReport): string[] =>
  (report.testResults ?? []).flatMap((file) => {
    const where = path.relative(root, file.name ?? '?');
    const tests = (file.assertionResults ?? [])
      .filter((test) => test.status === 'failed')
      .map((test) => `${where} › ${test.fullName ?? '?'}: ${firstLine(test.failureMessages?.[0])}`);
    return tests.length === 0 && file.status === 'failed'
      ? [`${where}: ${firstLine(file.message)}`]
      : tests;
  });

let passed = 0;
let failed = 0;
const failedPackages: string[] = [];
const failures: string[] = [];
for (const { dir, name } of tested) {
  const file = reportOf(dir);
  if (!existsSync(file)) {
    failedPackages.push(name);
    process.stdout.write(`${name}: no report (its tests crashed or did not run)\n`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8')) as VitestJsonReport;
  const brokenFiles = report.numFailedTestSuites ?? 0;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  const ok = report.numFailedTests === 0 && brokenFiles === 0 && report.success !== false;
  if (!ok) {
    failedPackages.push(name);
    failures.push(...failuresIn(report));
  }
  process.stdout.write(
    `${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed${brokenFiles > 0 ? `, ${brokenFiles} suites failed` : ''}\n`,
  );
}

for (const failure of failures) {
  process.stdout.write(`  failed: ${failure}\n`);
}
if (tested.length === 0) {
  process.stderr.write('count-tests: no package with a test script found\n');
}
if (failedPackages.length > 0) {
  process.stderr.write(`count-tests: failed: ${failedPackages.join(', ')}\n`);
}
process.stdout.write(
  `${passed} passed, ${failed} failed${failedPackages.length > 0 ? ` (${failedPackages.length} packages failed)` : ''}\n`,
);
process.exitCode = tested.length === 0 || failedPackages.length > 0 ? 1 : 0;
