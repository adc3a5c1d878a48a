// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { millisecondsSchema, optionsObject, parseOptions } from './parse-options.js';
import type { ProcessHandle, ProcessHandleExit } from './process-handle.js';
import { isRunning, readProcStat, readProcStatSync } from './proc-stat.js';
import { waitForExit, type ProcessWaitOptions } from './wait-for-exit.js';

// A killed process is gone within a millisecond or two: the first look after a signal or a wait comes
// that soon, and the doubling makes an idle watch cost a handful of reads per 250 ms, as before.
const DEFAULT_MIN_POLL_INTERVAL_MS = 1;
const DEFAULT_MAX_POLL_INTERVAL_MS = 250;
const UNKNOWN_EXIT: ProcessHandleExit = { kind: 'unknown' };

const intervalMsSchema = millisecondsSchema(1, 60_000, 'expected an integer from 1 to 60000 ms');

const streamSchema = <T>(type: abstract new (...args: never[]) => T, what: string) =>
  z
    .custom<T | null>((value) => value === null || value instanceof type, {
      error: `expected a ${what} stream or null`,
    })
    .optional();

const watchPidOptionsSchema = optionsObject({
  /**
   * The start time the process is known by (`/proc/<pid>/stat` field 22). When given, a process
   * under `pid` with another start time is someone else, and ours counts as ended. When omitted,
   * the start time is read now.
   */
  startTime: z
    .number({ error: 'expected a non-negative integer of clock ticks' })
    .int({ error: 'expected a non-negative integer of clock ticks' })
    .nonnegative({ error: 'expected a non-negative integer of clock ticks' })
    .optional(),
  /** The first delay between two looks at `/proc/<pid>/stat` (default 1 ms). */
  minPollIntervalMs: intervalMsSchema.default(DEFAULT_MIN_POLL_INTERVAL_MS),
  /** The longest delay between two looks; it bounds how late an exit is noticed (default 250 ms). */
  maxPollIntervalMs: intervalMsSchema.default(DEFAULT_MAX_POLL_INTERVAL_MS),
  /** Streams still connected to the process, if any (the jailer's pipes under `--new-pid-ns`). */
  stdin: streamSchema(Writable, 'Writable'),
  /** The standard output, when still connected. */
  stdout: streamSchema(Readable, 'Readable'),
  /** The standard error, when still connected. */
  stderr: streamSchema(Readable, 'Readable'),
}).superRefine((options, context) => {
  if (options.maxPollIntervalMs < options.minPollIntervalMs) {
    context.addIssue({
      code: 'custom',
      path: ['maxPollIntervalMs'],
      message: `expected at least minPollIntervalMs (${options.minPollIntervalMs})`,
      input: options.maxPollIntervalMs,
    });
  }
});

/**
 * What `watchPid` takes.
 *
 * @interface
 */
export type WatchPidOptions = z.input<typeof watchPidOptionsSchema>;

type ResolvedWatchPidOptions = z.output<typeof watchPidOptionsSchema>;

const pidSchema = z
  .number({ error: 'expected a positive integer pid' })
  .int({ error: 'expected a positive integer pid' })
  .positive({ error: 'expected a positive integer pid' });

// procfs sends no inotify event when a process ends and Node has no pidfd, so the exit of a
// process that is not our child can only be seen by looking: with a doubling delay up to a
// bound, reset whenever an exit is expected soon (a signal sent, a wait begun).
class PidProcessHandle implements ProcessHandle {
  readonly kind = 'detached';
  readonly pid: number;
  readonly startTime: number | undefined;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly exited: Promise<ProcessHandleExit>;
  readonly #minIntervalMs: number;
  readonly #maxIntervalMs: number;
  #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #waiters = 0;
  #exit: ProcessHandleExit | undefined;
  #settle!: (exit: ProcessHandleExit) => void;
  #fail!: (error: Error) => void;

  constructor(
    pid: number,
    startTime: number | undefined,
    running: boolean,
    options: ResolvedWatchPidOptions,
  ) {
    this.pid = pid;
    this.startTime = startTime;
    this.stdin = options.stdin ?? null;
    this.stdout = options.stdout ?? null;
    this.stderr = options.stderr ?? null;
    this.#minIntervalMs = options.minPollIntervalMs;
    this.#maxIntervalMs = options.maxPollIntervalMs;
    this.#intervalMs = this.#minIntervalMs;
    this.exited = new Promise<ProcessHandleExit>((resolve, reject) => {
      this.#settle = resolve;
      this.#fail = reject;
    });
    // A failure to watch rejects `exited` for whoever awaits it; with no one awaiting, it must not
    // crash the program as an unhandled rejection.
    this.exited.catch(() => {});
    if (running) {
      this.#schedule();
    } else {
      this.#finish(UNKNOWN_EXIT);
    }
  }

  get exit() {
    return this.#exit;
  }

  kill(signal: NodeJS.Signals | number = 'SIGKILL'): boolean {
    if (this.#exit !== undefined || !this.#isStillOurs()) {
      return false;
    }
    try {
      process.kill(this.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
        return false;
      }
      throw error;
    }
    this.#lookSoon();
    return true;
  }

  async wait(options: ProcessWaitOptions = {}): Promise<ProcessHandleExit> {
    this.#waiters += 1;
    // An unref'd timer would let Node exit in the middle of an awaited wait.
    this.#timer?.ref();
    this.#lookSoon();
    try {
      return await waitForExit(this.pid, this.exited, options);
    } finally {
      this.#waiters -= 1;
      if (this.#waiters === 0) {
        this.#timer?.unref();
      }
    }
  }

  #isStillOurs(): boolean {
    const stat = readProcStatSync(this.pid);
    return isRunning(stat) && stat.startTime === this.startTime;
  }

  #lookSoon(): void {
    this.#intervalMs = this.#minIntervalMs;
    if (this.#timer !== undefined && this.#exit === undefined) {
      clearTimeout(this.#timer);
      this.#schedule();
    }
  }

  #schedule(): void {
    const timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#tick();
    }, this.#intervalMs);
    // Watching a detached process must not keep Node alive on its own; a pending wait() does.
    if (this.#waiters === 0) {
      timer.unref();
    }
    this.#timer = timer;
  }

  // Never rejects: a failure to look settles `exited` with it.
  async #tick(): Promise<void> {
    let running: boolean;
    try {
      running = await this.#look();
    } catch (error) {
      this.#finishWithError(error as Error);
      return;
    }
    if (running && this.#exit === undefined) {
      this.#intervalMs = Math.min(this.#intervalMs * 2, this.#maxIntervalMs);
      this.#schedule();
    }
  }

  async #look(): Promise<boolean> {
    const stat = await readProcStat(this.pid);
    if (isRunning(stat) && stat.startTime === this.startTime) {
      return true;
    }
    // Gone, a zombie, or the pid now names another process: ours has ended, status unseen.
    this.#finish(UNKNOWN_EXIT);
    return false;
  }

  #finish(exit: ProcessHandleExit): void {
    if (this.#exit === undefined) {
      this.#exit = exit;
      this.#stop();
      this.#settle(exit);
    }
  }

  #finishWithError(error: Error): void {
    this.#stop();
    this.#fail(error);
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * Makes a `ProcessHandle` of a process that is not our child (a daemonized or new-pid-ns
 * Firecracker). Its exit is noticed through `/proc/<pid>/stat` and its start time, so a reused
 * pid is never taken for it, and is always reported as `unknown`: its status cannot be seen.
 * When the process is already gone (or `startTime` does not match), `exited` is settled at once.
 */
export const watchPid = async (
  pid: number,
  options: WatchPidOptions = {},
): Promise<ProcessHandle> => {
  parseOptions(pidSchema, pid, 'watchPid(pid)');
  const checked = parseOptions(watchPidOptionsSchema, options, 'watchPid');
  const stat = await readProcStat(pid);
  const startTime = checked.startTime ?? (isRunning(stat) ? stat.startTime : undefined);
  const running = isRunning(stat) && stat.startTime === startTime;
  return new PidProcessHandle(pid, startTime, running, checked);
};
