// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { text } from 'node:stream/consumers';
import { type FakeBinName, resolveFakeBin } from '../../src/package-paths.js';
import { identifyProcess, isRunning } from '../../src/testing/detached-process.js';

/** How a finished run of a fake executable went. */
export interface BinRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a built fake executable to completion (killed after `timeoutMs`). */
export const runBin = async (
  name: FakeBinName,
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number } = {},
): Promise<BinRun> => {
  const child = spawn(process.execPath, [resolveFakeBin(name), ...args], {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    killSignal: 'SIGKILL',
  });
  const [stdout, stderr, [code, signal]] = await Promise.all([
    text(child.stdout),
    text(child.stderr),
    new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    }),
  ]);
  return { code, signal, stdout, stderr };
};

/** Whether this process runs as root: device nodes and uid changes need it. */
export const isRoot = process.getuid?.() === 0;

/** Whether no process runs under this pid any more (a zombie counts as gone). */
export const isGone = async (pid: number): Promise<boolean> => {
  const running = await identifyProcess(pid);
  return running === undefined || !(await isRunning(running));
};
