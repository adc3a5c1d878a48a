// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AgentLink } from './agent-link.js';
import { describeCall } from './call-failure.js';
import { ExecError } from './errors.js';
import { resolveExecOptions, type ExecOptions } from './exec-options.js';
import { GuestProcess, type GuestExit } from './guest-process.js';

/** What `exec()` resolves with: how the command ended and what it wrote. */
export interface ExecResult<Output extends string | Buffer = string | Buffer> extends GuestExit {
  /** Its standard output (with a PTY: the terminal's output), decoded unless `encoding: 'buffer'`. */
  readonly stdout: Output;
  /** Its standard error (with a PTY: empty). */
  readonly stderr: Output;
}

// Keeps a channel's bytes up to `maxBuffer`; past it, calls `onOverflow` once.
const collect = (
  channel: Readable,
  maxBuffer: number,
  onOverflow: (name: string) => void,
  name: string,
): Promise<Buffer> =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let overflowed = false;
    channel.on('data', (chunk: Buffer) => {
      if (overflowed) {
        return;
      }
      size += chunk.byteLength;
      if (size > maxBuffer) {
        overflowed = true;
        onOverflow(name);
        return;
      }
      chunks.push(chunk);
    });
    channel.on('end', () => resolve(Buffer.concat(chunks)));
    channel.on('close', () => resolve(Buffer.concat(chunks)));
  });

/**
 * Runs a command in the guest to its end and collects stdout and stderr. Resolves whatever the
 * exit code (check `exitCode`); rejects as `GuestProcess.exited` does, and with
 * `ERR_EXEC_MAX_BUFFER` when a channel passes `maxBuffer` (the command is killed).
 */
export const runExec = async (
  link: AgentLink,
  argv: readonly string[],
  options?: ExecOptions,
): Promise<ExecResult> => {
  const { argv: command, options: resolved } = resolveExecOptions(argv, options);
  const { stdin, encoding, maxBuffer, ...spawnOptions } = resolved;
  // Already checked and resolved: the shell (if any) is in `command` now.
  const child = new GuestProcess(link, command, { ...spawnOptions, shell: false });
  let overflow: ExecError | undefined;
  const onOverflow = (name: string): void => {
    overflow ??= new ExecError(
      'ERR_EXEC_MAX_BUFFER',
      `${describeCall('exec', command)} wrote more than options.maxBuffer (${maxBuffer} bytes) to ${name} and was killed: raise maxBuffer, or use spawnInGuest() to stream the output`,
    );
    child.kill('SIGKILL');
  };
  const stdout = collect(child.stdout, maxBuffer, onOverflow, 'stdout');
  const stderr = collect(child.stderr, maxBuffer, onOverflow, 'stderr');
  // A command that exits without reading all its input is not a failure of exec.
  const input =
    stdin === undefined
      ? Promise.resolve(child.stdin.end())
      : pipeline(
          stdin instanceof Readable ? stdin : Readable.from([Buffer.from(stdin)]),
          child.stdin,
        ).catch((): undefined => {});
  const [exit, out, err] = await Promise.all([child.exited, stdout, stderr, input]);
  if (overflow !== undefined) {
    throw overflow;
  }
  const decode = (bytes: Buffer): string | Buffer =>
    encoding === 'buffer' ? bytes : bytes.toString(encoding);
  return { ...exit, stdout: decode(out), stderr: decode(err) };
};
