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

// An unset or empty variable means: use the fake.
const pathFrom = (name: string): string | undefined =>
  process.env[name] === '' ? undefined : process.env[name];

// A real binary stands in for a fake when its KINDLING_* variable names one.
const REAL_BINARIES: Readonly<Record<FakeBinName, string | undefined>> = {
  'fake-firecracker': pathFrom('KINDLING_FIRECRACKER'),
  'fake-jailer': pathFrom('KINDLING_JAILER'),
  'fake-snapshot-editor': pathFrom('KINDLING_SNAPSHOT_EDITOR'),
};

/** The real binary `runBin(name)` runs instead of the fake, if its variable is set. */
export const realBinaryFor = (name: FakeBinName): string | undefined => REAL_BINARIES[name];

/**
 * Runs a built fake executable to completion (killed after `timeoutMs`), or the real binary
 * named by `KINDLING_FIRECRACKER` / `KINDLING_JAILER` / `KINDLING_SNAPSHOT_EDITOR`.
 */
export const runBin = async (
  name: FakeBinName,
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number } = {},
): Promise<BinRun> => {
  const real = realBinaryFor(name);
  const [file, ...argv] =
    real === undefined ? [process.execPath, resolveFakeBin(name), ...args] : [real, ...args];
  const child = spawn(file ?? process.execPath, argv, {
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
