// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { connectApi } from '../context.js';
import { CliError } from '../errors.js';
import type { VmRecord } from '../host/vm-records.js';
import { readVmStatus } from './vm-status.js';

/** The options of `snapshot create`. */
export interface CreateFlags {
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
export const createSnapshot = async (record: VmRecord, flags: CreateFlags) => {
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
