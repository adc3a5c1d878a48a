// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

/** A command that failed, with what it printed. */
export class CommandError extends Error {
  static {
    this.prototype.name = 'CommandError';
  }
}

// Tools such as mkfs.ext4 live in sbin, which a non-root PATH often lacks.
const SEARCH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The executable `name` on PATH or in the usual system folders, or undefined. */
export const findExecutable = (name: string): string | undefined => {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SEARCH_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: try the next folder
    }
  }
  return undefined;
};

/** Runs a command to its end; resolves with its stdout, rejects with its output on failure. */
export const runCommand = async (
  command: string,
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<string> => {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    const output = Buffer.concat([...stdout, ...stderr])
      .toString('utf8')
      .trim();
    throw new CommandError(`${command} ${args.join(' ')} failed (exit ${code}):\n${output}`);
  }
  return Buffer.concat(stdout).toString('utf8');
};
