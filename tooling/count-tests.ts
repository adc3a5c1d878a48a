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

interface VitestJsonReport {
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

let passed = 0;
let failed = 0;
const failedPackages: string[] = [];
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
  }
  process.stdout.write(
    `${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed${brokenFiles > 0 ? `, ${brokenFiles} suites failed` : ''}\n`,
  );
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
