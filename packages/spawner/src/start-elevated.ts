// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { PassThrough, type Readable } from 'node:stream';
import { waitForElevatedStart } from './elevation-handshake.js';
import type { ResolvedElevationOptions } from './elevation-options.js';
import { killOnAbort } from './kill-on-abort.js';
import { launchElevator } from './launch-elevator.js';
import type { SpawnedProcess, StdioMode } from './process-spawner.js';
import type { ResolvedSpawnRequest } from './spawn-options.js';

/** One elevated spawn: the elevator's own arguments, already built around the wrapper. */
export interface ElevatedLaunch {
  readonly tool: 'sudo' | 'su';
  readonly args: readonly string[];
  readonly marker: string;
  readonly promptToken: string | undefined;
}

// The elevator's stderr carries its prompts and the wrapper's ready line: it is always piped, and
// what follows the ready line is handed on the way the caller asked for.
const routeStderr = (raw: Readable, rest: Buffer, mode: StdioMode): Readable | null => {
  if (mode === 'ignore') {
    raw.resume();
    return null;
  }
  if (mode === 'inherit') {
    if (rest.length > 0) {
      process.stderr.write(rest);
    }
    raw.pipe(process.stderr, { end: false });
    return null;
  }
  const out = new PassThrough();
  if (rest.length > 0) {
    out.write(rest);
  }
  raw.once('error', (error) => {
    out.destroy(error);
  });
  raw.pipe(out);
  return out;
};

/**
 * Starts sudo or su around the wrapper, waits until the command is starting, and returns the
 * handle with the streams wired as the caller asked. Aborting later sends SIGTERM, which sudo and
 * su relay to the command (a SIGKILL would stop only them and orphan the command).
 */
export const startElevated = async (
  launch: ElevatedLaunch,
  elevation: ResolvedElevationOptions,
  request: ResolvedSpawnRequest,
): Promise<SpawnedProcess> => {
  const ownsStdin = elevation.password !== undefined;
  const elevator = await launchElevator(elevation.binary, launch.args, {
    stdin: ownsStdin ? 'pipe' : request.stdin,
    stdout: request.stdout,
    stderr: 'pipe',
  });
  const { stderr } = elevator;
  if (stderr === null) {
    throw new TypeError('the elevator was started without a stderr pipe');
  }
  const rest = await waitForElevatedStart(elevator, stderr, {
    tool: launch.tool,
    binary: request.binary,
    user: elevation.user,
    marker: launch.marker,
    promptToken: launch.promptToken,
    password: elevation.password,
    stdin: ownsStdin ? elevator.stdin : null,
    startTimeoutMs: elevation.startTimeoutMs,
    signal: request.signal,
  });
  let { stdin } = elevator;
  if (ownsStdin && request.stdin !== 'pipe') {
    stdin?.end();
    stdin = null;
  }
  const started: SpawnedProcess = {
    pid: elevator.pid,
    stdin,
    stdout: elevator.stdout,
    stderr: routeStderr(stderr, rest, request.stderr),
    exited: elevator.exited,
    kill: (signal) => elevator.kill(signal),
  };
  killOnAbort(started, request.signal, 'SIGTERM');
  return started;
};
