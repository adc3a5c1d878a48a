// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessSpawner } from '@kindling/spawner';
import type { Readable } from 'node:stream';
import { NetworkError } from './errors.js';

/** What a finished command printed. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** How to run one command. */
export interface RunCommandOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Written to its stdin (`nft -f -`). */
  readonly input?: string;
  /** Errors whose stderr matches mean "already so": the command counts as done. */
  readonly alreadyDone?: RegExp;
}

// Enough for `ip -json` of a busy host, and a bound against a flood.
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

const readAll = async (stream: Readable | null): Promise<string> => {
  if (stream === null) {
    return '';
  }
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    length += buffer.length;
    if (length <= MAX_OUTPUT_BYTES) {
      chunks.push(buffer);
    }
  }
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * Runs a tool (`ip`, `nft`, `sysctl`) through the spawner and waits for it, bounded by
 * `timeoutMs` and `signal`. A non-zero exit throws `ERR_NETWORK_COMMAND` with the command line
 * and its stderr, unless the stderr says the work was already done (`alreadyDone`).
 */
export const runCommand = async (
  spawner: ProcessSpawner,
  binary: string,
  args: readonly string[],
  options: RunCommandOptions,
): Promise<CommandOutput> => {
  options.signal?.throwIfAborted();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal =
    options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  const child = await spawner.spawn(binary, args, {
    stdio: {
      stdin: options.input === undefined ? 'ignore' : 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
    },
    signal,
  });
  child.stdin?.end(options.input);
  const [stdout, stderr, exit] = await Promise.all([
    readAll(child.stdout),
    readAll(child.stderr),
    child.exited,
  ]);
  options.signal?.throwIfAborted();
  if (exit.code === 0) {
    return { stdout, stderr };
  }
  if (exit.code !== null && options.alreadyDone?.test(stderr) === true) {
    return { stdout, stderr };
  }
  const how = timeout.aborted
    ? `was killed after ${options.timeoutMs} ms`
    : exit.signal === null
      ? `exited with code ${exit.code}`
      : `was killed by ${exit.signal}`;
  throw new NetworkError(
    'ERR_NETWORK_COMMAND',
    `${[binary, ...args].join(' ')}${options.input === undefined ? '' : ` <<< "${options.input.trim().replaceAll('\n', '; ')}"`} ${how}: ${stderr.trim() || '(no output)'}`,
  );
};
