// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import type { ExecRequest } from '../protocol/messages.js';
import { ProtocolError } from '../protocol/protocol-error.js';
import { ptyArgv, type ScriptFlavour } from './pty.js';

/** A started command: its process (leading its own group) and how it ended. */
export interface CommandProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  /**
   * Sends a signal to the command's process group, so a shell's children get it too; after the
   * leader exits its children still do, until `release()`. An unknown name does nothing.
   */
  signal(name: string): void;
  /** The command is over: signals go nowhere from now on (its group id may be reused). */
  release(): void;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const spawnFailure = (error: unknown, argv: readonly string[]): ProtocolError => {
  const errno = (error as NodeJS.ErrnoException).code;
  const hint =
    errno === 'ENOENT'
      ? 'no such command in PATH, or the cwd does not exist'
      : errno === 'EACCES'
        ? 'it is not executable'
        : errno === 'EPERM'
          ? 'the agent may not switch to that uid/gid'
          : (errno ?? String(error));
  return new ProtocolError(
    'ERR_EXEC_SPAWN',
    `Could not start ${JSON.stringify(argv[0])}: ${hint}`,
    {
      cause: error,
    },
  );
};

/**
 * Starts an exec request's command in `cwd` (a host path), as the leader of a new process
 * group, on a terminal made by `script` when the request asks for one; ERR_EXEC_SPAWN when it
 * cannot start.
 */
export const startCommand = async (
  request: ExecRequest,
  cwd: string,
  scriptFlavour: () => Promise<ScriptFlavour | undefined>,
): Promise<CommandProcess> => {
  const argv =
    request.pty === undefined
      ? [...request.argv]
      : ptyArgv(await scriptFlavour(), request.argv, request.pty);
  const child = spawn(argv[0] ?? '', argv.slice(1), {
    cwd,
    env: {
      // An agent started with an emptied environment (fake-vmm under the jailer) still finds
      // commands where a shell would.
      PATH: DEFAULT_PATH,
      ...process.env,
      ...(request.pty === undefined
        ? {}
        : { SHELL: '/bin/sh', TERM: process.env['TERM'] ?? 'xterm' }),
      ...request.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    ...(request.uid === undefined ? {} : { uid: request.uid }),
    ...(request.gid === undefined ? {} : { gid: request.gid }),
  });
  // A child that exits before reading stdin makes writes fail with EPIPE: that is its choice.
  child.stdin?.on('error', () => {});
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  // A spawn failure rejects this too; it is reported through 'spawn' below.
  exited.catch(() => {});
  try {
    await once(child, 'spawn');
  } catch (error) {
    throw spawnFailure(error, request.argv);
  }
  let released = false;
  return {
    child,
    exited,
    signal: (name) => {
      if (released || child.pid === undefined || !(name in constants.signals)) {
        return;
      }
      try {
        process.kill(-child.pid, name);
      } catch {
        // The group is empty: everything in it has ended.
      }
    },
    release: () => {
      released = true;
    },
  };
};
