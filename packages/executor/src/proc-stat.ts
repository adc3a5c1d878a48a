// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFileSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { ExecutorError } from './errors.js';

/** The fields of `/proc/<pid>/stat` that identify a process and tell whether it still runs. */
export interface ProcStat {
  readonly pid: number;
  /** The command name (field 2), at most 15 bytes; it may hold spaces and parentheses. */
  readonly comm: string;
  /** The state letter (field 3): `R`, `S`, `D`, `Z` (zombie), `X` (dead), … */
  readonly state: string;
  /** The time the process started, in clock ticks after boot (field 22). */
  readonly startTime: number;
  /** The CPU time it used, user and system, its threads included (fields 14 and 15), in ticks. */
  readonly cpuTicks: number;
}

// Fields counted from field 3, the first one after the command name.
const START_TIME_INDEX = 22 - 3;
const USER_TIME_INDEX = 14 - 3;
const SYSTEM_TIME_INDEX = 15 - 3;

/** Parses the text of `/proc/<pid>/stat`, or returns `undefined` when it is malformed. */
export const parseProcStat = (text: string): ProcStat | undefined => {
  const open = text.indexOf(' (');
  // The command name is free text, "(a) b)" included; no field after it holds ")", so the last
  // one closes it.
  const close = text.lastIndexOf(')');
  if (open === -1 || close < open) {
    return undefined;
  }
  const pid = Number(text.slice(0, open));
  const fields = text
    .slice(close + 1)
    .trim()
    .split(' ');
  const state = fields[0];
  const startTime = Number(fields[START_TIME_INDEX]);
  const cpuTicks = Number(fields[USER_TIME_INDEX]) + Number(fields[SYSTEM_TIME_INDEX]);
  if (
    !Number.isSafeInteger(pid) ||
    pid <= 0 ||
    state === undefined ||
    !/^[A-Za-z]$/u.test(state) ||
    !Number.isSafeInteger(startTime) ||
    startTime < 0 ||
    !Number.isSafeInteger(cpuTicks) ||
    cpuTicks < 0
  ) {
    return undefined;
  }
  return { pid, comm: text.slice(open + 2, close), state, startTime, cpuTicks };
};

const isGone = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException).code;
  // ENOENT: the pid has no /proc entry; ESRCH: it died while the file was being read.
  return code === 'ENOENT' || code === 'ESRCH';
};

const toStat = (pid: number, text: string): ProcStat => {
  const stat = parseProcStat(text);
  if (stat?.pid !== pid) {
    throw new ExecutorError(
      'ERR_PROCESS_WATCH',
      `/proc/${pid}/stat could not be parsed (${JSON.stringify(text.slice(0, 80))}): is /proc a Linux procfs?`,
    );
  }
  return stat;
};

const wrapReadError = (pid: number, error: unknown) =>
  new ExecutorError('ERR_PROCESS_WATCH', `Could not read /proc/${pid}/stat: is /proc mounted?`, {
    cause: error,
  });

// The file is at most 52 numbers and a 15-byte name: far below one read of this size.
const STAT_READ_BYTES = 4096;

// procfs makes the whole file on the first read(2). open, read and close are three trips to the
// thread pool where readFile takes five (it also stats, and reads again to see the end); on a
// busy host each trip costs a wait for a worker thread.
const readStatText = async (file: string): Promise<string> => {
  const handle = await openFile(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(STAT_READ_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, STAT_READ_BYTES, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
};

/** Reads `/proc/<pid>/stat`; `undefined` when no process has that pid. */
export const readProcStat = async (pid: number): Promise<ProcStat | undefined> => {
  let text: string;
  try {
    text = await readStatText(`/proc/${pid}/stat`);
  } catch (error) {
    if (isGone(error)) {
      return undefined;
    }
    throw wrapReadError(pid, error);
  }
  return toStat(pid, text);
};

/**
 * Reads `/proc/<pid>/stat` synchronously, for the identity check right before a signal is sent:
 * an asynchronous read would widen the window in which the pid could be reused.
 */
export const readProcStatSync = (pid: number): ProcStat | undefined => {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if (isGone(error)) {
      return undefined;
    }
    throw wrapReadError(pid, error);
  }
  return toStat(pid, text);
};

/** Whether a stat describes a process that still runs (not a zombie or dead task). */
export const isRunning = (stat: ProcStat | undefined): stat is ProcStat =>
  stat !== undefined && stat.state !== 'Z' && stat.state !== 'X' && stat.state !== 'x';

/**
 * The start time of a running process in clock ticks after boot, or `undefined` when no process
 * runs under that pid. With the pid, it identifies a process for as long as the machine is up.
 */
export const readProcessStartTime = async (pid: number): Promise<number | undefined> => {
  const stat = await readProcStat(pid);
  return isRunning(stat) ? stat.startTime : undefined;
};

/**
 * Whether the process with this pid (and start time, when given) still runs, read synchronously,
 * for a process that is going down and may not wait; a zombie has ended.
 */
export const isProcessRunningSync = (pid: number, startTime?: number): boolean => {
  const stat = readProcStatSync(pid);
  return isRunning(stat) && (startTime === undefined || stat.startTime === startTime);
};
