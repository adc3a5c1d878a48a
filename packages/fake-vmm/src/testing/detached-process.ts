// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/** A process that is not our child, known by its pid and its start time (against pid reuse). */
export interface DetachedProcess {
  readonly pid: number;
  /** Field 22 of `/proc/<pid>/stat`: clock ticks after boot; differs when the pid is reused. */
  readonly startTime: string;
}

interface ProcStat {
  readonly state: string;
  readonly startTime: string;
}

const readStat = async (pid: number): Promise<ProcStat | undefined> => {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // No such process (any more).
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: the fields after it are fixed.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19];
  return state === undefined || startTime === undefined ? undefined : { state, startTime };
};

/** Identifies a running process by pid, or undefined when there is none. */
export const identifyProcess = async (pid: number): Promise<DetachedProcess | undefined> => {
  const stat = await readStat(pid);
  return stat === undefined ? undefined : { pid, startTime: stat.startTime };
};

/** Whether the process still runs: same pid and start time, and not a zombie. */
export const isRunning = async (process: DetachedProcess): Promise<boolean> => {
  const stat = await readStat(process.pid);
  return (
    stat !== undefined &&
    stat.startTime === process.startTime &&
    stat.state !== 'Z' &&
    stat.state !== 'X'
  );
};

const MAX_DELAY_MS = 50;

/**
 * Waits until a process that is not our child has exited. Node has no pidfd, so this polls
 * `/proc/<pid>/stat` with a bounded back-off (1 ms doubling to 50 ms). Rejects with `signal.reason`.
 */
export const waitForDetachedExit = async (
  process: DetachedProcess,
  signal: AbortSignal,
): Promise<void> => {
  let delayMs = 1;
  while (await isRunning(process)) {
    await delay(delayMs, undefined, { signal });
    delayMs = Math.min(delayMs * 2, MAX_DELAY_MS);
  }
};
