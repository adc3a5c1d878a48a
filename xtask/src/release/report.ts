// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Problem } from '../check.ts';
import type { TarballReport } from './hygiene.ts';
import { type InstallResult, nameOf } from './installs.ts';

/** Everything the release check saw, for `.reports/release-check.md`. */
export interface ReleaseReport {
  readonly timings: readonly (readonly [step: string, ms: number])[];
  readonly firstRelease: readonly string[];
  readonly tarballs: readonly TarballReport[];
  readonly installs: readonly (InstallResult & { readonly expected: readonly string[] })[];
  readonly program: string;
  readonly secondRelease: readonly string[];
  /** Each public package's versions on the registry after the second release. */
  readonly registryVersions: readonly (readonly [name: string, versions: readonly string[]])[];
  readonly oldInstall?: InstallResult;
  readonly problems: readonly Problem[];
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

const isKindling = (spec: string): boolean => spec.startsWith('@kindling/');

const installRow = (install: InstallResult & { readonly expected?: readonly string[] }): string => {
  const kindling = install.packages.filter(isKindling);
  const others = install.packages.filter((spec) => !isKindling(spec));
  const pulled = kindling.map(nameOf).join(',');
  const exact =
    install.expected === undefined ? '—' : pulled === install.expected.join(',') ? 'yes' : 'NO';
  const flag = install.resolvedOnly ? ' --package-lock-only' : '';
  return `| \`npm install${flag} ${install.specs.join(' ')}\` | ${kindling.join(', ')} | ${others.length} | ${exact} | ${install.ms} |`;
};

/** The report as Markdown. */
export const formatReport = (report: ReleaseReport): string => {
  const lines = [
    '# Release check',
    '',
    report.problems.length === 0
      ? 'Result: **passed**.'
      : `Result: **FAILED** (${report.problems.length} problem(s)).`,
    '',
    ...report.problems.map((problem) => `- ${problem.file}: ${problem.message}`),
    '',
    '## Timings',
    '',
    '| step | ms |',
    '| --- | --- |',
    ...report.timings.map(([step, ms]) => `| ${step} | ${ms} |`),
    '',
    '## First release (`changeset version`, `pnpm publish -r`)',
    '',
    report.firstRelease.join(', '),
    '',
    '## Tarballs (as users download them from the registry)',
    '',
    '| package | files | packed | unpacked | of which source maps | problems |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.tarballs.map(
      (tarball) =>
        `| ${tarball.spec} | ${tarball.files.length} | ${kib(tarball.packedBytes)} | ${kib(tarball.unpackedBytes)} | ${kib(tarball.mapBytes)} | ${tarball.problems.length === 0 ? 'none' : tarball.problems.join('; ').replaceAll('\n', ' ')} |`,
    ),
    '',
    '<details><summary>the files of each tarball</summary>',
    '',
    ...report.tarballs.map((tarball) => `- ${tarball.spec}: ${tarball.files.join(', ')}`),
    '',
    '</details>',
    '',
    '## Installs into an empty folder (only Node and npm)',
    '',
    '| command | Kindling packages pulled | third-party packages | exactly the layers below | ms |',
    '| --- | --- | --- | --- | --- |',
    ...report.installs.map(installRow),
    ...(report.oldInstall === undefined ? [] : [installRow(report.oldInstall)]),
    '',
    '<details><summary>every package each install pulled</summary>',
    '',
    ...[...report.installs, ...(report.oldInstall === undefined ? [] : [report.oldInstall])].map(
      (install) => `- \`${install.specs.join(' ')}\`: ${install.packages.join(', ')}`,
    ),
    '',
    '</details>',
    '',
    '## A program on @kindling/vm and @kindling/fake-vmm from the registry',
    '',
    '```',
    report.program.trim(),
    '```',
    '',
    '## Second release (a patch changeset on @kindling/vmm-core)',
    '',
    `Published: ${report.secondRelease.join(', ') || 'nothing'}`,
    '',
    '| package | versions on the registry |',
    '| --- | --- |',
    ...report.registryVersions.map(([name, versions]) => `| ${name} | ${versions.join(', ')} |`),
    '',
  ];
  return `${lines.join('\n')}\n`;
};
