// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import process from 'node:process';
import { stripVTControlCharacters } from 'node:util';

/** Where and how long a command of the release check runs. */
export interface CommandOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly env?: Readonly<Record<string, string>>;
  /** Keep this process's npm and pnpm settings (to read them, not to act in a throw-away folder). */
  readonly keepNpmSettings?: boolean;
}

/** A command that failed: its line, how it ended, and the tail of what it printed. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/**
 * The environment of a child: this process's, without the `npm_config_*` and `pnpm_*` variables
 * pnpm sets for its scripts, so that neither npm nor pnpm in a throw-away folder picks up the
 * real repository's settings, plus `extra`.
 */
export const cleanEnv = (extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (!lower.startsWith('npm_') && !lower.startsWith('pnpm_')) {
      env[key] = value;
    }
  }
  return { ...env, FORCE_COLOR: '0', NO_COLOR: '1', ...extra };
};

const TAIL_CHARS = 4000;

/** Runs a command to completion, bounded by `timeoutMs` and `signal`; returns what it printed. */
export const run = async (
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<string> => {
  const signals = [AbortSignal.timeout(options.timeoutMs)];
  if (options.signal !== undefined) {
    signals.push(options.signal);
  }
  const line = [command, ...args].join(' ');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env:
      options.keepNpmSettings === true ? { ...process.env, ...options.env } : cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: AbortSignal.any(signals),
    killSignal: 'SIGKILL',
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code }));
  });
  const output = stripVTControlCharacters(Buffer.concat(chunks).toString('utf8'));
  if (ended.code !== 0) {
    const how = ended.error === undefined ? `exit code ${String(ended.code)}` : ended.error.message;
    throw new CommandError(
      `\`${line}\` in ${options.cwd} failed (${how} after at most ${options.timeoutMs} ms):\n${output.slice(-TAIL_CHARS)}`,
      { cause: ended.error },
    );
  }
  return output;
};
