// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomBytes } from 'node:crypto';
import { link, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readProcessStartTime } from '@kindling/executor';
import { ensurePrivateFolder } from '@kindling/helpers';
import type { AddressPool } from './address-pool.js';
import { NetworkError } from './errors.js';
import type { NetworkPlan } from './network-plan.js';

/** A network as recorded in the state folder: its plan and the Node process that owns it. */
export interface NetworkRecord {
  readonly version: 1;
  readonly owner: { readonly pid: number; readonly startTime: number };
  readonly plan: NetworkPlan;
  /** When the record was written (ISO 8601). */
  readonly recordedAt: string;
}

/** A record file as read back: its record, or why it could not be read. */
export type StoredNetworkRecord =
  | { readonly file: string; readonly record: NetworkRecord }
  | { readonly file: string; readonly problem: string };

/** The subfolder of the state folder that holds network records. */
export const networkRecordsDir = (stateDir: string): string => path.join(stateDir, 'network');

// One file per allocated /30, named by its network address: pools that overlap share names.
const RECORD_FILE = /^\d+\.\d+\.\d+\.\d+\.json$/u;

const recordError = (message: string, cause?: unknown): NetworkError =>
  new NetworkError('ERR_STATE_RECORD', message, cause === undefined ? {} : { cause });

/** Creates the records folder (0700) and checks it is ours alone: its records name what to delete. */
export const ensureRecordsDir = async (dir: string): Promise<void> => {
  let problem: string | undefined;
  try {
    problem = await ensurePrivateFolder(dir);
  } catch (error) {
    throw recordError(`Could not create the state folder ${dir}`, error);
  }
  if (problem !== undefined) {
    throw recordError(`The state folder ${dir} ${problem}: remove it, or choose another stateDir`);
  }
};

let ownStartTime: number | undefined;

/** This Node process as a record's owner (pid and start time, so a reused pid is no owner). */
export const describeOwner = async (): Promise<NetworkRecord['owner']> => {
  ownStartTime ??= await readProcessStartTime(process.pid);
  if (ownStartTime === undefined) {
    throw recordError(`Could not read this process's start time from /proc/${process.pid}/stat`);
  }
  return { pid: process.pid, startTime: ownStartTime };
};

/** Whether a record's owner still runs (same pid, same start time). */
export const isOwnerAlive = async (owner: NetworkRecord['owner']): Promise<boolean> =>
  (await readProcessStartTime(owner.pid)) === owner.startTime;

/**
 * Claims the lowest free /30 of the pool for `makePlan(index)` and records it, atomically: the
 * record is written whole to a temporary file and hard-linked to its name, which fails if another
 * process (or another call) claimed that /30 first; then the next one is tried.
 * Throws `ERR_POOL_FULL` when every /30 is taken.
 */
export const claimSubnet = async (
  dir: string,
  pool: AddressPool,
  makePlan: (index: number) => NetworkPlan,
): Promise<{ readonly file: string; readonly record: NetworkRecord }> => {
  await ensureRecordsDir(dir);
  const owner = await describeOwner();
  const taken = new Set(await readdir(dir));
  const partial = path.join(dir, `.claim-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    for (let index = 0; index < pool.size; index += 1) {
      const name = `${pool.subnetAt(index).network}.json`;
      if (pool.isReserved(index) || taken.has(name)) {
        continue;
      }
      const record: NetworkRecord = {
        version: 1,
        owner,
        plan: makePlan(index),
        recordedAt: new Date().toISOString(),
      };
      await writeFile(partial, `${JSON.stringify(record)}\n`, { mode: 0o600 });
      const file = path.join(dir, name);
      try {
        await link(partial, file);
        return { file, record };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw recordError(`Could not write the network record ${file}`, error);
        }
      }
    }
  } finally {
    await rm(partial, { force: true });
  }
  throw new NetworkError(
    'ERR_POOL_FULL',
    `Every /30 of the pool ${pool.cidr} is taken (${pool.size} /30s): dispose of networks no longer used, run reconcileNetwork() to clear those of processes that died, or give a larger pool`,
  );
};

/** Removes a record file; one already gone is fine. */
export const removeNetworkRecord = async (file: string): Promise<void> => {
  try {
    await rm(file, { force: true });
  } catch (error) {
    throw recordError(`Could not remove the network record ${file}`, error);
  }
};

const isRecord = (value: unknown): value is NetworkRecord => {
  const record = value as Partial<NetworkRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    record.version === 1 &&
    Number.isSafeInteger(record.owner?.pid) &&
    Number.isSafeInteger(record.owner?.startTime) &&
    typeof record.plan?.tap === 'string' &&
    typeof record.plan.pool === 'string' &&
    Number.isSafeInteger(record.plan.index)
  );
};

/** Reads every network record in the folder; a missing folder holds none. */
export const readNetworkRecords = async (dir: string): Promise<StoredNetworkRecord[]> => {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw recordError(`Could not list the state folder ${dir}`, error);
  }
  await ensureRecordsDir(dir);
  const stored: StoredNetworkRecord[] = [];
  for (const name of names.filter((item) => RECORD_FILE.test(item)).toSorted()) {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // Its owner disposed of it between the listing and the read.
        continue;
      }
      throw recordError(`Could not read the network record ${file}`, error);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    stored.push(
      isRecord(value)
        ? { file, record: value }
        : { file, problem: `${file} is not a Kindling network record` },
    );
  }
  return stored;
};
