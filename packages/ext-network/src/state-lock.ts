// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { addAbortListener } from 'node:events';
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

// Waits for the turn before this one to settle (however it ends), or for `signal`: an aborted
// caller stops waiting at once, with the signal's reason.
const waitForTurn = async (
  previous: Promise<unknown>,
  signal: AbortSignal | undefined,
): Promise<void> => {
  signal?.throwIfAborted();
  const settled = Promise.allSettled([previous]);
  if (signal === undefined) {
    await settled;
    return;
  }
  let stop: Disposable | undefined;
  const aborted = new Promise<void>((resolve) => {
    stop = addAbortListener(signal, () => resolve());
  });
  try {
    await Promise.race([settled, aborted]);
  } finally {
    stop?.[Symbol.dispose]();
  }
  signal.throwIfAborted();
};

// Calls of this process queue here first, so that they take turns without polling the file.
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `step` holding the lock file `name` in `dir` (made by hard link, so atomically, across
 * processes too), waiting with back-off while another holds it; throws `ERR_WAIT_TIMEOUT` when
 * the lock is not free within `timeoutMs`.
 */
export const withStateLock = <T>(
  dir: string,
  name: string,
  options: LockWaitOptions,
  step: () => Promise<T>,
): Promise<T> => {
  const file = path.join(dir, name);
  const previous = queues.get(file) ?? Promise.resolve();
  const turn = (async () => {
    await waitForTurn(previous, options.signal);
    return holdFileLock(file, options, step);
  })();
  // Assigned before its body can run past the first await, where it is read.
  let tail: Promise<void> | undefined;
  tail = (async () => {
    // A turn given up while queued (its caller aborted) still holds its place for the next one,
    // until the one before it is done.
    await Promise.allSettled([previous, turn]);
    // The last one out empties the queue.
    if (queues.get(file) === tail) {
      queues.delete(file);
    }
  })();
  queues.set(file, tail);
  return turn;
};

const holdFileLock = async <T>(
  file: string,
  options: LockWaitOptions,
  step: () => Promise<T>,
): Promise<T> => {
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
