// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { requireVmRecord } from '../host/vm-records.js';
import { runStep } from '../progress.js';
import { resolveCommon, type RunFlags } from '../vm/run-options.js';
import { createSnapshot, type CreateFlags } from '../vm/create-snapshot.js';
import { defineAction, type ExitBox } from './command-kit.js';
import { addLaunchOptions, launch } from './run.js';
import {
  restoreOnServer,
  snapshotOnServer,
  addServerOptions,
  type ServerFlags,
} from '../remote/remote.js';

/** `kindling snapshot create` and `kindling snapshot restore`. */
export const registerSnapshot = (program: Command, context: CliContext, box: ExitBox): void => {
  const snapshot = program.command('snapshot').description('snapshot a VM, or restore one');
  addServerOptions(
    snapshot
      .command('create <name>')
      .description('snapshot a VM (paused for the time it takes, then resumed if it ran)')
      .requiredOption('--snapshot <file>', 'where the VM state file goes')
      .requiredOption('--mem <file>', 'where the guest memory file goes')
      .option('--diff', 'a diff snapshot (needs track_dirty_pages)')
      .option('--json', 'print the files as JSON'),
  ).action(
    defineAction<CreateFlags & ServerFlags, [string]>(
      context,
      box,
      async ({ out, options }, name) => {
        if (options.server !== undefined) {
          await snapshotOnServer(out, { ...options, server: options.server }, name);
          return;
        }
        const record = await requireVmRecord(context.paths, name);
        const made = await runStep(out, `Snapshotting "${name}"`, () =>
          createSnapshot(record, options),
        );
        out.data(
          made,
          () => `${made.type} snapshot of ${name}: ${made.snapshotPath} ${made.memPath}`,
        );
      },
    ),
  );
  addLaunchOptions(
    snapshot
      .command('restore')
      .description("start a new VM from a snapshot's files")
      .requiredOption('--snapshot <file>', 'the VM state file')
      .requiredOption('--mem <file>', 'the guest memory file')
      .option('--resume', 'resume the guest at once (default: it stays paused)')
      .option('--vsock <path>', 'a new vsock socket path (needed while the original runs)'),
  ).action(
    defineAction<RunFlags & CreateFlags & ServerFlags & { resume?: boolean; vsock?: string }, []>(
      context,
      box,
      ({ out, options }) => {
        if (options.server !== undefined) {
          return restoreOnServer(out, { ...options, server: options.server });
        }
        const spec = {
          ...resolveCommon(options, context.io.env),
          boot: {
            kind: 'restore' as const,
            snapshotPath: path.resolve(options.snapshot),
            memPath: path.resolve(options.mem),
            resume: options.resume === true,
            ...(options.vsock === undefined ? {} : { vsockPath: path.resolve(options.vsock) }),
          },
          source: `snapshot ${path.resolve(options.snapshot)}`,
        };
        return launch(context, out, spec);
      },
    ),
  );
};
