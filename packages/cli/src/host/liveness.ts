// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readProcessStartTime } from '@kindling/executor';

/** A process as a record names it: pid and start time (so a reused pid is never mistaken). */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime: number;
}

/** Whether the very process a record names (same pid and start time) still runs. */
export const isAlive = async (identity: ProcessIdentity): Promise<boolean> =>
  (await readProcessStartTime(identity.pid)) === identity.startTime;

/** This process as a record names it. */
export const describeSelf = async (): Promise<ProcessIdentity> => {
  const startTime = await readProcessStartTime(process.pid);
  if (startTime === undefined) {
    throw new Error(`Could not read /proc/${process.pid}/stat: is /proc mounted?`);
  }
  return { pid: process.pid, startTime };
};
