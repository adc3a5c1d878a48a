// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable, Writable } from 'node:stream';
import type { ProcessWaitOptions } from './wait-for-exit.js';

/**
 * How a process ended. `unknown` is a process that is gone but whose exit status could not be
 * seen: a detached process, which is not our child. It is never reported as a clean exit.
 */
export type ProcessHandleExit =
  | { readonly kind: 'exited'; readonly code: number }
  | { readonly kind: 'signaled'; readonly signal: NodeJS.Signals }
  | { readonly kind: 'unknown' };

/**
 * A running VMM process: an `attached` child of this Node process (its exit status and piped
 * streams are known), or a `detached` pid (jailer `--daemonize` / `--new-pid-ns`) watched
 * through `/proc/<pid>/stat` with its start time, so that a reused pid is never taken for it.
 */
export interface ProcessHandle {
  readonly kind: 'attached' | 'detached';
  readonly pid: number;
  /**
   * The start time in clock ticks after boot (`/proc/<pid>/stat` field 22); with `pid` it names
   * the process unambiguously. `undefined` when the process was gone before it could be read.
   */
  readonly startTime: number | undefined;
  /** Piped streams; `null` when not piped or already closed. */
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** How the process ended, once known; `undefined` while it runs. */
  readonly exit: ProcessHandleExit | undefined;
  /** Settles once, when the process has ended; rejects only when its exit cannot be observed. */
  readonly exited: Promise<ProcessHandleExit>;
  /**
   * Sends a signal (default SIGKILL: Firecracker handles neither SIGTERM nor SIGINT); false when
   * the process had already ended, or when its pid now names another process.
   */
  kill(signal?: NodeJS.Signals | number): boolean;
  /** Waits for the process to end, with a default timeout of 30 s. */
  wait(options?: ProcessWaitOptions): Promise<ProcessHandleExit>;
}
