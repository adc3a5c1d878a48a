// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { checkSignal } from './check-signal.js';
import type { LaunchOptions } from './launch-options.js';
import type { ProcessExit, SpawnedProcess } from './process-spawner.js';
import { relayOutput } from './relay-output.js';
import { createSpawnFailedError } from './spawn-failure.js';

/**
 * Starts sudo or su with execa and resolves once it is running, or rejects with `SpawnError`
 * `ERR_SPAWN_FAILED`. Nothing is buffered: piped streams are the caller's to read.
 *
 * execa earns its place here, and only here: it sends the elevator SIGTERM (which sudo and su
 * relay to the command) whenever Node goes down, by a signal too, and the command runs as a user
 * this process may not signal itself. An elevated start costs sudo's or su's own start-up
 * (milliseconds), so execa is loaded on the first one, never by a program that does not elevate.
 */
export const launchElevator = async (
  binary: string,
  args: readonly string[],
  options: LaunchOptions,
): Promise<SpawnedProcess> => {
  const { execa } = await import('execa');
  const subprocess = execa(binary, args, {
    stdin: options.stdin,
    stdout: options.stdout,
    stderr: options.stderr,
    ...(options.env === undefined ? {} : { env: options.env }),
    extendEnv: options.extendEnv ?? true,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    // The caller owns the streams and the exit: execa must neither read them nor reject.
    buffer: false,
    reject: false,
    // A signal means exactly what the caller sent; shutdown escalation belongs to upper layers.
    forceKillAfterDelay: false,
  });
  // Settles on the `exit` event: execa's own promise also waits for the caller to drain pipes.
  const stdout = relayOutput(subprocess.stdout ?? null);
  const stderr = relayOutput(subprocess.stderr ?? null);
  const child = subprocess.nodeChildProcess;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      resolve(signal === null ? { code: code ?? 0, signal: null } : { code: null, signal });
    });
  });
  let failure: unknown;
  try {
    // An early failure (e.g. a bad option) settles execa's promise without any `spawn` event.
    const outcome = await Promise.race([
      once(child, 'spawn').then(() => 'spawned' as const),
      subprocess,
    ]);
    failure = outcome === 'spawned' ? undefined : outcome;
  } catch (error) {
    failure = error;
  }
  if (failure !== undefined) {
    throw createSpawnFailedError(binary, failure, options.cwd);
  }
  const { pid } = subprocess;
  if (pid === undefined) {
    throw createSpawnFailedError(binary, new Error('no process id was assigned'), options.cwd);
  }
  return {
    pid,
    stdin: subprocess.stdin ?? null,
    stdout,
    stderr,
    exited,
    kill: (signal = 'SIGTERM') => subprocess.kill(checkSignal(signal)),
  };
};
