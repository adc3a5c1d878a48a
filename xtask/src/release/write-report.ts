// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatReport, type ReleaseReport } from './report.ts';

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

/** Writes `.reports/release-check.md` and returns the summary for stdout. */
export const writeReport = async (root: string, report: ReleaseReport): Promise<string> => {
  const file = path.join(root, '.reports', 'release-check.md');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, formatReport(report));
  const total = report.timings.find(([step]) => step === 'total')?.[1] ?? 0;
  const lines = [
    `release-check: ${report.firstRelease.length} package(s) published, then ${report.secondRelease.join(', ') || 'nothing'} after a vmm-core patch`,
    ...report.installs.map(
      (install) =>
        `  npm install${install.resolvedOnly ? ' --package-lock-only' : ''} ${install.specs.join(' ')}: ${install.packages.filter((spec) => spec.startsWith('@kindling/')).length} Kindling + ${install.packages.filter((spec) => !spec.startsWith('@kindling/')).length} third-party package(s), ${install.ms} ms`,
    ),
    `  tarballs: ${report.tarballs.map((tarball) => `${tarball.spec} ${kib(tarball.packedBytes)}`).join(', ')}`,
    `  ${report.problems.length} problem(s) in ${(total / 1000).toFixed(1)} s; report in .reports/release-check.md`,
    '',
  ];
  return lines.join('\n');
};
