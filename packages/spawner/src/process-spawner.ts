// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable, Writable } from 'node:stream';

/** How one standard stream of a spawned process is connected. */
export type StdioMode = 'pipe' | 'ignore' | 'inherit';

/** The standard streams of a spawned process; each defaults to `'pipe'`. */
export interface StdioOptions {
  readonly stdin?: StdioMode;
  readonly stdout?: StdioMode;
  readonly stderr?: StdioMode;
}

/** What a caller may set when spawning a process. */
export interface SpawnOptions {
  /** One mode for all three streams, or one per stream. */
  readonly stdio?: StdioMode | StdioOptions;
  /** Variables to set; with `extendEnv: false` they are the whole environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Whether `env` extends the parent's environment (default `true`). */
  readonly extendEnv?: boolean;
  readonly cwd?: string;
  /** Aborting kills the process with SIGKILL. */
  readonly signal?: AbortSignal;
}

/** How a process ended: an exit code, or the signal that killed it. */
export type ProcessExit =
  | { readonly code: number; readonly signal: null }
  | { readonly code: null; readonly signal: NodeJS.Signals };

/** A process that was started: its pid, its piped streams, how it ends, and a way to signal it. */
export interface SpawnedProcess {
  readonly pid: number;
  /** Present when the stream is piped, `null` otherwise. */
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Settles once, when the process has exited; never rejects for a non-zero exit. */
  readonly exited: Promise<ProcessExit>;
  /** Sends a signal (default SIGTERM); false when the process had already exited. */
  kill(signal?: NodeJS.Signals | number): boolean;
}

/**
 * Starts processes. Arguments are always an array, never a shell string. The promise rejects with
 * a `SpawnError` when the process could not be started (for example a missing binary).
 */
export interface ProcessSpawner {
  spawn(binary: string, args: readonly string[], options?: SpawnOptions): Promise<SpawnedProcess>;
}
