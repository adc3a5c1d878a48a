// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessExit, ProcessSpawner } from '@kindling/spawner';
import type { Readable } from 'node:stream';

/** How a short-lived tool (`chown`, `mkfifo`) ended, with the tail of what it said on stderr. */
export interface ToolOutcome {
  readonly exit: ProcessExit;
  readonly stderr: string;
  /** Whether the timeout stopped it (the exit is then the kill). */
  readonly timedOut: boolean;
}

/** How long a tool may run, and what cancels it. */
export interface RunToolOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

// Enough of a tool's stderr for an error message, without holding on to a flood of output.
const MAX_STDERR_BYTES = 4_096;

const readTail = async (stream: Readable | null): Promise<string> => {
  if (stream === null) {
    return '';
  }
  let kept = Buffer.alloc(0);
  for await (const chunk of stream) {
    kept = Buffer.concat([
      kept,
      typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer),
    ]);
    if (kept.length > MAX_STDERR_BYTES) {
      kept = kept.subarray(-MAX_STDERR_BYTES);
    }
  }
  return kept.toString('utf8').trim();
};

/** Describes an exit for a message: `exited with code 1` or `was killed by SIGKILL`. */
export const describeExit = (exit: ProcessExit): string =>
  exit.signal === null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;

/**
 * Runs a tool through a spawner and waits for it, killing it when the timeout passes or the signal
 * aborts. Rejects with `signal.reason` when the caller's signal aborted, and with the spawner's
 * `SpawnError` when the tool could not start; any exit is returned for the caller to judge.
 */
export const runTool = async (
  spawner: ProcessSpawner,
  binary: string,
  args: readonly string[],
  options: RunToolOptions,
): Promise<ToolOutcome> => {
  options.signal?.throwIfAborted();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal =
    options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  const child = await spawner.spawn(binary, args, {
    stdio: { stdin: 'ignore', stdout: 'ignore', stderr: 'pipe' },
    signal,
  });
  const [stderr, exit] = await Promise.all([readTail(child.stderr), child.exited]);
  options.signal?.throwIfAborted();
  return { exit, stderr, timedOut: timeout.aborted };
};
