// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readProcessStartTime } from '@kindling/executor';
import { ensurePrivateFolder, kindlingTempFolder } from '@kindling/helpers';
import { disposalPlanSchema, type DisposalPlan } from '@kindling/vmm-core';
import { ProcessError } from './errors.js';

/**
 * What is known of a running VMM process so that, should its Node owner die without cleaning up,
 * `reconcile()` can find it, kill it (only if pid and start time still match) and remove its files.
 */
export interface ProcessRecord {
  readonly pid: number;
  /** The start time in clock ticks after boot (`/proc/<pid>/stat` field 22). */
  readonly startTime: number;
  /** The Node process that owns it, by pid and start time. */
  readonly owner: { readonly pid: number; readonly startTime: number };
  readonly kind: 'attached' | 'detached';
  /** The API socket's host path, removed with the process. */
  readonly socketPath?: string;
  /** The jail folder (`<base>/<exec>/<id>`), removed whole with the process. */
  readonly jailPath?: string;
  /** The folders above the jail that Kindling made, removed once empty, innermost first. */
  readonly jailParents?: readonly string[];
  /**
   * What disposing of the VMM's resources does (created and produced files such as its log and
   * metrics files deleted, the folders made for them, user's files moved back); absent in records
   * of older versions.
   */
  readonly disposal?: DisposalPlan;
  /** The cgroup folders the jailer made for the VMM, removed (rmdir) with it. */
  readonly cgroupDirs?: readonly string[];
  /** More files of the VMM's that its owner made (a vsock listener's socket), removed with it. */
  readonly extraPaths?: readonly string[];
  /** When the record was written (ISO 8601). */
  readonly recordedAt: string;
}

/** A record file as read back: its record, or why it could not be read. */
export type StoredRecord =
  | { readonly file: string; readonly record: ProcessRecord }
  | { readonly file: string; readonly problem: string };

const RECORD_FILE = /^\d+-\d+\.json$/u;

/**
 * The folder records go to unless told otherwise: `<tmpdir>/kindling-<uid>/processes`. The temp
 * folder is a good home: a reboot empties it, and after a reboot no recorded pid means anything.
 */
export const defaultStateDir = (): string => path.join(kindlingTempFolder(), 'processes');

let ownStartTime: number | undefined;

/** This Node process as a record's owner. */
export const describeOwner = async (): Promise<ProcessRecord['owner']> => {
  ownStartTime ??= await readProcessStartTime(process.pid);
  if (ownStartTime === undefined) {
    throw new ProcessError(
      'ERR_STATE_RECORD',
      `Could not read this process's start time from /proc/${process.pid}/stat: is /proc mounted?`,
    );
  }
  return { pid: process.pid, startTime: ownStartTime };
};

// The state folders this process has made or found private. A folder of ours with mode 0700 in a
// sticky or private parent cannot be swapped by another user (only this user or root can remove it),
// so it is checked once per process, not before each of the two writes every VMM makes; a write that
// finds the folder gone makes and checks it again.
const checkedStateDirs = new Set<string>();

/**
 * Creates the state folder (mode 0700) and checks it is ours alone: `reconcile()` kills what the
 * records in it name, so a folder others can write to must never be trusted.
 */
export const ensureStateDir = async (stateDir: string): Promise<void> => {
  let problem: string | undefined;
  try {
    problem = await ensurePrivateFolder(stateDir);
  } catch (error) {
    throw new ProcessError('ERR_STATE_RECORD', `Could not create the state folder ${stateDir}`, {
      cause: error,
    });
  }
  if (problem !== undefined) {
    throw new ProcessError(
      'ERR_STATE_RECORD',
      `The state folder ${stateDir} ${problem}: remove it, or choose another stateDir`,
    );
  }
  checkedStateDirs.add(stateDir);
};

const writeAtomically = async (file: string, text: string): Promise<void> => {
  const partial = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(partial, text, { mode: 0o600 });
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
};

/** Writes a record (atomically: a reader never sees half of one) and returns its file. */
export const writeProcessRecord = async (
  stateDir: string,
  record: ProcessRecord,
): Promise<string> => {
  if (!checkedStateDirs.has(stateDir)) {
    await ensureStateDir(stateDir);
  }
  const file = path.join(stateDir, `${record.pid}-${record.startTime}.json`);
  const text = `${JSON.stringify(record)}\n`;
  try {
    try {
      await writeAtomically(file, text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
      // The folder was removed since it was checked: make it, check it, and write again.
      checkedStateDirs.delete(stateDir);
      await ensureStateDir(stateDir);
      await writeAtomically(file, text);
    }
  } catch (error) {
    if (error instanceof ProcessError) {
      throw error;
    }
    throw new ProcessError('ERR_STATE_RECORD', `Could not write the process record ${file}`, {
      cause: error,
    });
  }
  return file;
};

/** Removes a record file; a record already gone is fine. */
export const removeProcessRecord = async (file: string): Promise<void> => {
  try {
    await rm(file, { force: true });
  } catch (error) {
    throw new ProcessError('ERR_STATE_RECORD', `Could not remove the process record ${file}`, {
      cause: error,
    });
  }
};

const isPositiveInteger = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0;

const isOptionalAbsolutePath = (value: unknown): boolean =>
  value === undefined || (typeof value === 'string' && path.isAbsolute(value));

const isOptionalAbsolutePathList = (value: unknown): boolean =>
  value === undefined ||
  (Array.isArray(value) &&
    value.every((item) => typeof item === 'string' && path.isAbsolute(item)));

const isOptionalDisposalPlan = (value: unknown): boolean =>
  value === undefined || disposalPlanSchema.safeParse(value).success;

const parseRecord = (text: string): ProcessRecord | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const record = value as Partial<ProcessRecord> | null;
  if (
    record === null ||
    typeof record !== 'object' ||
    !isPositiveInteger(record.pid) ||
    !isPositiveInteger(record.startTime) ||
    !isPositiveInteger(record.owner?.pid) ||
    !isPositiveInteger(record.owner.startTime) ||
    (record.kind !== 'attached' && record.kind !== 'detached') ||
    !isOptionalAbsolutePath(record.socketPath) ||
    !isOptionalAbsolutePath(record.jailPath) ||
    !isOptionalAbsolutePathList(record.jailParents) ||
    !isOptionalAbsolutePathList(record.extraPaths) ||
    !isOptionalAbsolutePathList(record.cgroupDirs) ||
    !isOptionalDisposalPlan(record.disposal) ||
    typeof record.recordedAt !== 'string'
  ) {
    return undefined;
  }
  return record as ProcessRecord;
};

/** Reads every record in the state folder; a missing folder holds none. */
export const readProcessRecords = async (stateDir: string): Promise<StoredRecord[]> => {
  let names: string[];
  try {
    names = await readdir(stateDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw new ProcessError('ERR_STATE_RECORD', `Could not list the state folder ${stateDir}`, {
      cause: error,
    });
  }
  await ensureStateDir(stateDir);
  const stored: StoredRecord[] = [];
  for (const name of names.filter((item) => RECORD_FILE.test(item)).toSorted()) {
    const file = path.join(stateDir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // Its owner cleaned up between the listing and the read.
        continue;
      }
      throw new ProcessError('ERR_STATE_RECORD', `Could not read the process record ${file}`, {
        cause: error,
      });
    }
    const record = parseRecord(text);
    stored.push(
      record === undefined
        ? { file, problem: `${file} is not a Kindling process record` }
        : { file, record },
    );
  }
  return stored;
};
