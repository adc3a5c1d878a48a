// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Prints `N passed, M failed` from the vitest JSON reports every workspace package wrote, so each
// CI run records its test count; exits non-zero when a test failed or no report was found.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

interface VitestJsonReport {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numTotalTests: number;
}

const root = path.resolve(import.meta.dirname, '..');
const packagesRoot = path.join(root, 'packages');
const packageDirs = [
  ...(existsSync(packagesRoot) ? readdirSync(packagesRoot, { withFileTypes: true }) : [])
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(packagesRoot, entry.name)),
  path.join(root, 'xtask'),
];

let passed = 0;
let failed = 0;
let reports = 0;
for (const dir of packageDirs) {
  const file = path.join(dir, '.reports', 'vitest.json');
  if (!existsSync(file)) {
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8')) as VitestJsonReport;
  reports += 1;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}

if (reports === 0) {
  process.stderr.write('count-tests: no vitest report found: did the tests run?\n');
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = reports === 0 || failed > 0 ? 1 : 0;
