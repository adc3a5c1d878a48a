// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pollUntil } from '@kindling/helpers';
import { NetworkError } from './errors.js';
import { describeOwner, isOwnerAlive, type NetworkRecord } from './network-records.js';

/** How long and under what signal to wait for a lock. */
export interface LockWaitOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

const tryLock = async (file: string): Promise<boolean> => {
  const partial = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(partial, JSON.stringify(await describeOwner()), { mode: 0o600 });
  try {
    await link(partial, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  } finally {
    await rm(partial, { force: true });
  }
  // A lock whose owner died holding it (SIGKILL) is free.
  let owner: NetworkRecord['owner'] | undefined;
  try {
    owner = JSON.parse(await readFile(file, 'utf8')) as NetworkRecord['owner'];
  } catch {
    return false;
  }
  if (!(await isOwnerAlive(owner))) {
    await rm(file, { force: true });
  }
  return false;
};

/**
 * Runs `step` holding the lock file `name` in `dir` (made by hard link, so atomically, across
 * processes too), waiting with back-off while another holds it; throws `ERR_WAIT_TIMEOUT` when
 * the lock is not free within `timeoutMs`.
 */
export const withStateLock = async <T>(
  dir: string,
  name: string,
  options: LockWaitOptions,
  step: () => Promise<T>,
): Promise<T> => {
  const file = path.join(dir, name);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal =
    options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  try {
    await pollUntil(async () => ((await tryLock(file)) ? true : null), {
      signal,
      backOff: { minDelayMs: 2, maxDelayMs: 50 },
    });
  } catch (error) {
    if (timeout.aborted && options.signal?.aborted !== true) {
      throw new NetworkError(
        'ERR_WAIT_TIMEOUT',
        `The lock ${file} was not free within ${options.timeoutMs} ms: is a process stuck holding it?`,
        { cause: error },
      );
    }
    throw error;
  }
  try {
    return await step();
  } finally {
    await rm(file, { force: true });
  }
};
