// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import type { Command } from 'commander';
import { VmmInstallation } from '@kindling/vmm-core';
import type { CliContext } from '../context.js';
import { invalidInput } from '../errors.js';
import { FIRECRACKER_VERSION, defaultInstallDir } from '../host/binaries.js';
import { runStep } from '../progress.js';
import { defineAction, type ExitBox } from './command-kit.js';

interface InstallFlags {
  readonly version: string;
  readonly dir?: string;
  readonly baseUrl?: string;
}

const BAR_WIDTH = 24;

const renderBar = (received: number, total: number | undefined): string => {
  const mib = (received / 1_048_576).toFixed(1);
  if (total === undefined || total === 0) {
    return `${mib} MiB`;
  }
  const done = Math.min(BAR_WIDTH, Math.round((received / total) * BAR_WIDTH));
  return `[${'#'.repeat(done)}${'.'.repeat(BAR_WIDTH - done)}] ${mib} / ${(total / 1_048_576).toFixed(1)} MiB`;
};

/** `kindling install firecracker`: an official release, its SHA-256 checked. */
export const registerInstall = (program: Command, context: CliContext, box: ExitBox): void => {
  program
    .command('install')
    .description('install Firecracker')
    .command('firecracker')
    .description('download an official Firecracker release (checksum checked) into a folder')
    .option('--version <version>', 'the release, e.g. v1.16.1', `v${FIRECRACKER_VERSION}`)
    .option(
      '--dir <folder>',
      'where the binaries go (default ~/.local/share/kindling/firecracker/v<version>)',
    )
    .option('--base-url <url>', 'a mirror of the releases (default: the official releases)')
    .option('--json', 'print the installed paths as JSON')
    .action(
      defineAction<InstallFlags, []>(context, box, async ({ out, options }) => {
        const version = options.version.replace(/^v/u, '');
        if (!/^\d+\.\d+\.\d+$/u.test(version)) {
          throw invalidInput('--version', 'expected a release such as v1.16.1', options.version);
        }
        const dir = path.resolve(options.dir ?? defaultInstallDir(context.io.env, version));
        const installation = await runStep(out, `Downloading Firecracker v${version}`, (update) =>
          VmmInstallation.download({
            version,
            dir,
            ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
            onProgress: ({ receivedBytes, totalBytes }) => {
              update(renderBar(receivedBytes, totalBytes));
            },
          }),
        );
        const installed = {
          version,
          dir,
          firecrackerPath: installation.firecrackerPath,
          jailerPath: installation.jailerPath,
          snapshotEditorPath: installation.snapshotEditorPath,
        };
        out.data(installed, () =>
          [
            `Firecracker v${version} installed in ${dir} (SHA-256 checked)`,
            options.dir === undefined
              ? 'kindling finds it there; `kindling doctor` checks it'
              : `use it with: export KINDLING_FIRECRACKER=${installation.firecrackerPath}`,
          ].join('\n'),
        );
      }),
    );
};
