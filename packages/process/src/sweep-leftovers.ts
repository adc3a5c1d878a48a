// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { rmSync } from 'node:fs';
import { isProcessRunningSync } from '@kindling/executor';
import { removeLeftovers, type Leftovers } from './leftover-removal.js';
import type { Killable } from './orphan-guard.js';

export type { Leftovers } from './leftover-removal.js';

/** What is swept when Node goes down: the process if it still runs, its files, its record. */
export interface SweepRequest {
  /** The VMM process while it runs, to kill and see end before its files go. */
  readonly running:
    | {
        readonly handle: Killable & { readonly pid: number };
        readonly startTime: number | undefined;
      }
    | undefined;
  readonly leftovers: Leftovers;
  /** The state record, removed once everything else is gone. */
  readonly recordFile: string | undefined;
}

// How long a process going down waits for a VMM it killed to end before leaving its files to
// reconcile(): SIGKILL takes effect at once unless the process is stuck in the kernel.
const END_WAIT_MS = 2_000;
const POLL_MS = 2;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Waits, blocking, until the process has ended (a zombie has); false when it did not in time. */
export const waitForEndSync = (pid: number, startTime: number | undefined, ms: number): boolean => {
  const deadline = Date.now() + ms;
  try {
    while (isProcessRunningSync(pid, startTime)) {
      if (Date.now() >= deadline) {
        return false;
      }
      // Node is going down and may not wait for an event: a blocking pause is all there is.
      Atomics.wait(pause, 0, 0, POLL_MS);
    }
  } catch {
    // /proc could not be read: whether it ended is unknown, so nothing is removed.
    return false;
  }
  return true;
};

/**
 * Sweeps one VMM synchronously while Node goes down: kills it if it still runs and waits briefly
 * for its end (its files must not go while it may still make them), removes its files, then its
 * state record. Returns whether everything went; what is left keeps its record for reconcile().
 */
export const sweepLeftovers = (request: SweepRequest): boolean => {
  const { running } = request;
  if (running !== undefined) {
    try {
      running.handle.kill('SIGKILL');
    } catch {
      return false;
    }
    if (!waitForEndSync(running.handle.pid, running.startTime, END_WAIT_MS)) {
      return false;
    }
  }
  if (removeLeftovers(request.leftovers).failures.length > 0) {
    return false;
  }
  if (request.recordFile !== undefined) {
    try {
      rmSync(request.recordFile, { force: true });
    } catch {
      return false;
    }
  }
  return true;
};
