// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/** A Node program standing in for a user's program that owns VMs, and what it reported. */
export interface OwnerProcess<Report> {
  /** Its stdin is piped only when asked for. */
  readonly child: ChildProcessByStdio<Writable | null, Readable, Readable>;
  /** The first line it printed, parsed as JSON; rejects with its stderr if it exits before. */
  readonly report: Promise<Report>;
  /** Its exit code and signal, once its streams have closed. */
  readonly closed: Promise<[number | null, NodeJS.Signals | null]>;
  /** What it printed on stdout (the report line included) and on stderr so far. */
  stdout(): string;
  stderr(): string;
}

/** How to start an owner program. */
export interface OwnerProcessOptions {
  /** The folder bare package names resolve from (the package under test). */
  readonly cwd?: string;
  /** `pipe` to drive the owner through its stdin; `ignore` by default. */
  readonly stdin?: 'pipe' | 'ignore';
}

/**
 * Starts `node <args>` with its stdout and stderr piped. Owners print one JSON line once their VMs
 * run (pids, files), then wait for the test to end them.
 */
export const startOwnerProcess = <Report>(
  args: readonly string[],
  options: OwnerProcessOptions = {},
): OwnerProcess<Report> => {
  const child = spawn(process.execPath, [...args], {
    cwd: options.cwd,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const report = new Promise<Report>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const reported = stdout.includes('\n');
      stdout += chunk;
      if (!reported && stdout.includes('\n')) {
        resolve(JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as Report);
      }
    });
    child.once('exit', () => reject(new Error(`the owner exited early:\n${stderr}`)));
  });
  return { child, report, closed, stdout: () => stdout, stderr: () => stderr };
};
