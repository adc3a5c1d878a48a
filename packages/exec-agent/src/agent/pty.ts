// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { WindowSize } from '../protocol/messages.js';
import { ProtocolError } from '../protocol/protocol-error.js';

const run = promisify(execFile);

/** How this system's `script` gives a command a terminal. */
export type ScriptFlavour = 'util-linux' | 'busybox';

/** Which `script` the system has, or undefined without one; asked once per agent. */
export const detectScript = async (): Promise<ScriptFlavour | undefined> => {
  try {
    const { stdout } = await run('script', ['--version'], { timeout: 5_000 });
    return stdout.includes('util-linux') ? 'util-linux' : 'busybox';
  } catch (error) {
    const { code, stderr } = error as { code?: unknown; stderr?: unknown };
    // Busybox's applet has no --version: it prints its usage and fails, but it is there.
    return code !== 'ENOENT' && typeof stderr === 'string' && stderr.includes('BusyBox')
      ? 'busybox'
      : undefined;
  }
};

/** A shell word that stays one word: single quotes, with `'` written as `'\''`. */
export const quoteShellWord = (word: string): string =>
  `'${word.replaceAll("'", String.raw`'\''`)}'`;

/**
 * The argv that runs `argv` on a new terminal of `size`: `script` makes the terminal (no native
 * module needed), `stty` sizes it before the command starts, and `exec` leaves the command as the
 * terminal's foreground process.
 */
export const ptyArgv = (
  flavour: ScriptFlavour | undefined,
  argv: readonly string[],
  size: WindowSize,
): string[] => {
  if (flavour === undefined) {
    throw new ProtocolError(
      'ERR_EXEC_PTY_UNAVAILABLE',
      'A terminal was asked for, but the guest has no `script` (util-linux or busybox) to make one: install it in the guest image, or run without pty',
    );
  }
  const command = `stty rows ${size.rows} cols ${size.cols} 2>/dev/null; exec ${argv.map(quoteShellWord).join(' ')}`;
  // util-linux: -e returns the command's exit status, -f flushes each write; busybox's applet
  // returns it always and flushes on its own.
  return flavour === 'util-linux'
    ? ['script', '-q', '-e', '-f', '-c', command, '/dev/null']
    : ['script', '-q', '-c', command, '/dev/null'];
};

// The terminal device of the process `script` started: its stdin is the pty's follower side.
const findTerminal = async (scriptPid: number): Promise<string | undefined> => {
  let children: string[];
  try {
    children = (await readFile(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8'))
      .split(' ')
      .filter((pid) => pid !== '');
  } catch {
    children = [];
  }
  for (const pid of children) {
    try {
      const target = await readlink(`/proc/${pid}/fd/0`);
      if (target.startsWith('/dev/pts/')) {
        return target;
      }
    } catch {
      // The child is gone already.
    }
  }
  // Without /proc/<pid>/task/<pid>/children (an old kernel), look through every process.
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (/^\d+$/u.test(pid)) {
      try {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const target = parent === scriptPid ? await readlink(`/proc/${pid}/fd/0`) : '';
        if (target.startsWith('/dev/pts/')) {
          return target;
        }
      } catch {
        // The process is gone.
      }
    }
  }
  return undefined;
};

/** Sets the window size of the terminal `script` (pid `scriptPid`) made; the command gets SIGWINCH. */
export const resizeTerminal = async (scriptPid: number, size: WindowSize): Promise<void> => {
  const terminal = await findTerminal(scriptPid);
  if (terminal !== undefined) {
    await run('stty', ['-F', terminal, 'rows', String(size.rows), 'cols', String(size.cols)], {
      timeout: 5_000,
    });
  }
};
