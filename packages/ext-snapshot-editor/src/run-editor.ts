// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import { createDeadline } from '@kindling/helpers';
import type { ProcessExit, ProcessSpawner, SpawnedProcess } from '@kindling/spawner';
import { SnapshotEditorError } from './errors.js';

/** One run of the binary: what to run, through what, and how long it may take. */
export interface EditorInvocation {
  readonly binaryPath: string;
  readonly spawner: ProcessSpawner;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

// A vm-state of a large VM is a few hundred KiB; this only stops a runaway binary.
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const STDERR_EXCERPT_CHARS = 2000;

const readAll = async (stream: Readable | null): Promise<string> => {
  if (stream === null) {
    return '';
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    bytes += buffer.length;
    if (bytes <= MAX_OUTPUT_BYTES) {
      chunks.push(buffer);
    }
  }
  return Buffer.concat(chunks).toString('utf8');
};

const describeExit = (exit: ProcessExit): string =>
  exit.code === null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;

const describeStderr = (stderr: string): string => {
  const trimmed = stderr.trim();
  if (trimmed === '') {
    return ' and printed nothing on stderr';
  }
  const excerpt =
    trimmed.length > STDERR_EXCERPT_CHARS ? `${trimmed.slice(0, STDERR_EXCERPT_CHARS)}…` : trimmed;
  return `: ${excerpt}`;
};

/** How a command is named in messages: `snapshot-editor info-vmstate version`. */
export const describeCommand = (args: readonly string[]): string =>
  ['snapshot-editor', ...args.filter((arg) => !arg.startsWith('-')).slice(0, 2)].join(' ');

/**
 * Runs `snapshot-editor` with `args` to its end and returns its stdout. A non-zero exit or a
 * signal is `ERR_SNAPSHOT_EDITOR_FAILED` with its stderr; running past `timeoutMs` kills it and is
 * `ERR_WAIT_TIMEOUT`; the caller's abort kills it and rethrows the signal's reason. A spawn failure
 * (`SpawnError`, e.g. `ERR_SPAWN_FAILED` for a missing binary) passes through unchanged.
 */
export const runEditor = async (invocation: EditorInvocation): Promise<string> => {
  const { args } = invocation;
  invocation.signal?.throwIfAborted();
  using deadline = createDeadline(invocation.timeoutMs, invocation.signal);
  let child: SpawnedProcess;
  try {
    child = await invocation.spawner.spawn(invocation.binaryPath, args, {
      stdio: { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' },
      signal: deadline.signal,
    });
  } catch (error) {
    if (deadline.signal.aborted && !deadline.timedOut) {
      deadline.signal.throwIfAborted();
    }
    throw error;
  }
  const [stdout, stderr, exit] = await Promise.all([
    readAll(child.stdout),
    readAll(child.stderr),
    child.exited,
  ]);
  const run = { args, exit, stderr };
  if (deadline.signal.aborted && exit.code !== 0) {
    if (!deadline.timedOut) {
      deadline.signal.throwIfAborted();
    }
    throw new SnapshotEditorError(
      'ERR_WAIT_TIMEOUT',
      `${describeCommand(args)} did not finish within ${invocation.timeoutMs} ms and was killed: allow more time (timeoutMs), or check the files it was given`,
      { cause: deadline.signal.reason, run },
    );
  }
  if (exit.code !== 0) {
    throw new SnapshotEditorError(
      'ERR_SNAPSHOT_EDITOR_FAILED',
      `${describeCommand(args)} ${describeExit(exit)}${describeStderr(stderr)}`,
      { run },
    );
  }
  return stdout;
};
