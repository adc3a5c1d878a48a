// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { connectApi, type CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { requireVmRecord, type VmRecord } from '../host/vm-records.js';
import { runStep } from '../progress.js';
import { resolveCommon, type RunFlags } from '../vm/run-options.js';
import { readVmStatus } from '../vm/vm-status.js';
import { defineAction, type ExitBox } from './command-kit.js';
import { addLaunchOptions, launch } from './run.js';

interface CreateFlags {
  readonly snapshot: string;
  readonly mem: string;
  readonly diff?: boolean;
}

// Where Firecracker writes a file: the destination itself, or for a jailed VM a name in its jail
// (Firecracker sees only the jail), moved out afterwards.
const firecrackerPathOf = (record: VmRecord, destination: string): string =>
  record.jailed ? `/${path.basename(destination)}` : destination;

const moveOutOfJail = async (record: VmRecord, destination: string): Promise<void> => {
  if (!record.jailed) {
    return;
  }
  const inJail = path.join(record.rootPath, path.basename(destination));
  await copyFile(inJail, destination);
  await rm(inJail, { force: true });
};

/** Pauses the VM if it runs, writes the snapshot, resumes it if it ran. */
const createSnapshot = async (record: VmRecord, flags: CreateFlags) => {
  const snapshotPath = path.resolve(flags.snapshot);
  const memPath = path.resolve(flags.mem);
  const state = await readVmStatus(record);
  if (state !== 'running' && state !== 'paused') {
    throw new CliError(
      'ERR_WRONG_STATE',
      `VM "${record.name}" is ${state}: only a running or paused VM can be snapshotted`,
    );
  }
  await using api = connectApi(record);
  if (state === 'running') {
    await api.patch('/vm', { state: 'Paused' });
  }
  try {
    await api.put(
      '/snapshot/create',
      {
        snapshot_type: flags.diff === true ? 'Diff' : 'Full',
        snapshot_path: firecrackerPathOf(record, snapshotPath),
        mem_file_path: firecrackerPathOf(record, memPath),
      },
      { timeoutMs: 120_000 },
    );
    await moveOutOfJail(record, snapshotPath);
    await moveOutOfJail(record, memPath);
  } finally {
    if (state === 'running') {
      await api.patch('/vm', { state: 'Resumed' });
    }
  }
  return { name: record.name, snapshotPath, memPath, type: flags.diff === true ? 'Diff' : 'Full' };
};

/** `kindling snapshot create` and `kindling snapshot restore`. */
export const registerSnapshot = (program: Command, context: CliContext, box: ExitBox): void => {
  const snapshot = program.command('snapshot').description('snapshot a VM, or restore one');
  snapshot
    .command('create <name>')
    .description('snapshot a VM (paused for the time it takes, then resumed if it ran)')
    .requiredOption('--snapshot <file>', 'where the VM state file goes')
    .requiredOption('--mem <file>', 'where the guest memory file goes')
    .option('--diff', 'a diff snapshot (needs track_dirty_pages)')
    .option('--json', 'print the files as JSON')
    .action(
      defineAction<CreateFlags, [string]>(context, box, async ({ out, options }, name) => {
        const record = await requireVmRecord(context.paths, name);
        const made = await runStep(out, `Snapshotting "${name}"`, async () =>
          createSnapshot(record, options),
        );
        out.data(
          made,
          () => `${made.type} snapshot of ${name}: ${made.snapshotPath} ${made.memPath}`,
        );
      }),
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
    defineAction<RunFlags & CreateFlags & { resume?: boolean; vsock?: string }, []>(
      context,
      box,
      async ({ out, options }) => {
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
