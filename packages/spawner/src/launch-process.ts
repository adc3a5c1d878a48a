// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { checkSignal } from './check-signal.js';
import type { LaunchOptions } from './launch-options.js';
import type { ProcessExit, SpawnedProcess } from './process-spawner.js';
import { relayOutput } from './relay-output.js';
import { createSpawnFailedError } from './spawn-failure.js';
import { terminateOnNodeExit } from './terminate-on-node-exit.js';

// A failure after the start (a kill refused with EPERM, EPIPE on a stdin the process closed) is
// not the spawn's to report: `kill` returns false, `exited` still settles. Without a listener,
// Node would throw it as an uncaught error (execa, before, swallowed it the same way).
const ignoreLateError = (): void => {};

const resolveEnv = (options: LaunchOptions): NodeJS.ProcessEnv | undefined => {
  const { env, extendEnv = true } = options;
  if (!extendEnv) {
    return { ...env };
  }
  // Node passes its own environment when given none: no copy for the common case.
  return env === undefined || Object.keys(env).length === 0
    ? undefined
    : { ...process.env, ...env };
};

const startChild = (binary: string, args: readonly string[], options: LaunchOptions) => {
  try {
    return spawn(binary, args, {
      stdio: [options.stdin, options.stdout, options.stderr],
      env: resolveEnv(options),
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
  } catch (error) {
    // Node throws at once for some errors (ENOTDIR in cwd), and emits `error` for others.
    throw createSpawnFailedError(binary, error, options.cwd);
  }
};

const waitForExit = (child: ChildProcess): Promise<ProcessExit> =>
  new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      resolve(signal === null ? { code: code ?? 0, signal: null } : { code: null, signal });
    });
  });

/**
 * Starts a process with `node:child_process` and resolves once it is running, or rejects with
 * `SpawnError` `ERR_SPAWN_FAILED`. Nothing is buffered beyond a stream's high-water mark: piped
 * output waits (and the pipe's back-pressure holds) for the caller, however late it reads. Like execa's `cleanup`,
 * a process still running when Node exits gets SIGTERM.
 */
export const launchProcess = async (
  binary: string,
  args: readonly string[],
  options: LaunchOptions,
): Promise<SpawnedProcess> => {
  const child = startChild(binary, args, options);
  // libuv has already run exec(2) when spawn returns: a pid means the process runs, and no pid
  // means an `error` event is on its way (ENOENT, EACCES…).
  const { pid } = child;
  if (pid === undefined) {
    const [error] = await once(child, 'error').catch((caught: unknown) => [caught]);
    throw createSpawnFailedError(binary, error, options.cwd);
  }
  child.on('error', ignoreLateError);
  child.stdin?.on('error', ignoreLateError);
  const exited = waitForExit(child);
  terminateOnNodeExit(child);
  return {
    pid,
    stdin: child.stdin,
    stdout: relayOutput(child.stdout),
    stderr: relayOutput(child.stderr),
    exited,
    kill: (signal = 'SIGTERM') => child.kill(checkSignal(signal)),
  };
};
