// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessExit, SpawnedProcess } from '@kindling/spawner';
import type { ProcessHandle, ProcessHandleExit } from './process-handle.js';
import { isRunning, readProcStatSync, type ProcStat } from './proc-stat.js';
import { waitForExit, type ProcessWaitOptions } from './wait-for-exit.js';

const toHandleExit = (exit: ProcessExit): ProcessHandleExit =>
  exit.signal === null
    ? { kind: 'exited', code: exit.code }
    : { kind: 'signaled', signal: exit.signal };

class ChildProcessHandle implements ProcessHandle {
  readonly kind = 'attached';
  readonly pid: number;
  readonly startTime: number | undefined;
  readonly exited: Promise<ProcessHandleExit>;
  readonly #child: SpawnedProcess;
  #exit: ProcessHandleExit | undefined;

  constructor(child: SpawnedProcess, startTime: number | undefined) {
    this.#child = child;
    this.pid = child.pid;
    this.startTime = startTime;
    this.exited = child.exited.then((exit) => {
      this.#exit = toHandleExit(exit);
      return this.#exit;
    });
  }

  get stdin() {
    return this.#child.stdin;
  }

  get stdout() {
    return this.#child.stdout;
  }

  get stderr() {
    return this.#child.stderr;
  }

  get exit() {
    return this.#exit;
  }

  kill(signal: NodeJS.Signals | number = 'SIGKILL'): boolean {
    // Our own child cannot be reused while unreaped, so its pid needs no identity check.
    return this.#exit === undefined && this.#child.kill(signal);
  }

  wait(options: ProcessWaitOptions = {}): Promise<ProcessHandleExit> {
    return waitForExit(this.pid, this.exited, options);
  }
}

// Read synchronously, on purpose: procfs makes the file in memory, so the read never waits for a
// disk and takes ~0.1 ms, where the same read through the thread pool waited 1–2.5 ms for a worker
// on a busy host, right while the VMM starts (bench/executor.bench.ts).
const readStartTime = (child: SpawnedProcess): number | undefined => {
  let stat: ProcStat | undefined;
  try {
    stat = readProcStatSync(child.pid);
  } catch (error) {
    // A handle that cannot be returned would leave the child running with no owner.
    child.kill('SIGKILL');
    throw error;
  }
  return isRunning(stat) ? stat.startTime : undefined;
};

/**
 * Makes a `ProcessHandle` of a child this Node process spawned: its exit code or signal is
 * observed exactly, and its piped streams are passed through.
 */
export const wrapChildProcess = (child: SpawnedProcess): Promise<ProcessHandle> =>
  // A failure to read the start time rejects, as it always has.
  new Promise((resolve) => {
    resolve(new ChildProcessHandle(child, readStartTime(child)));
  });
