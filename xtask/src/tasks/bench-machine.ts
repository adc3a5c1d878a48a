// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// What a benchmark run ran on: the machine, Node, and the Firecracker (or fake-vmm) it drove.

import { execFile } from 'node:child_process';
import os from 'node:os';
import process from 'node:process';
import { promisify } from 'node:util';
import { backendOf } from './e2e-report.ts';

const execFileAsync = promisify(execFile);
const VERSION_TIMEOUT_MS = 10_000;

/** The machine and the backend of a run. */
export interface BenchMachine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly kernel: string;
  readonly node: string;
  /** The 1-minute load average when the run started: how busy the host was besides. */
  readonly loadAverage: number;
  /** `fake-vmm`, or `firecracker` when KINDLING_FIRECRACKER names one. */
  readonly backend: 'fake-vmm' | 'firecracker';
  readonly firecrackerPath?: string;
  /** The first line of `firecracker --version` (or why there is none). */
  readonly firecrackerVersion?: string;
}

const firecrackerVersion = async (binary: string): Promise<string> => {
  try {
    const { stdout } = await execFileAsync(binary, ['--version'], { timeout: VERSION_TIMEOUT_MS });
    return stdout.split('\n')[0]?.trim() ?? '';
  } catch (error) {
    return `unknown (${binary} --version failed: ${(error as Error).message.split('\n')[0]})`;
  }
};

/** The machine this process runs on, and the backend `env` selects. */
export const describeMachine = async (
  env: NodeJS.ProcessEnv = process.env,
): Promise<BenchMachine> => {
  const cpus = os.cpus();
  const base = {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: os.loadavg()[0] ?? 0,
  };
  const firecracker = env['KINDLING_FIRECRACKER'];
  if (backendOf(env) === 'fake-vmm' || firecracker === undefined) {
    return { ...base, backend: 'fake-vmm' };
  }
  return {
    ...base,
    backend: 'firecracker',
    firecrackerPath: firecracker,
    firecrackerVersion: await firecrackerVersion(firecracker),
  };
};

/** One line of machine facts, for under a table: `2 × Intel …, Linux 6.1, Node v24.21.0, …`. */
export const formatMachine = (machine: BenchMachine, when: Date, quick: boolean): string => {
  const backend =
    machine.backend === 'fake-vmm' ? 'fake-vmm' : (machine.firecrackerVersion ?? 'Firecracker');
  return `${quick ? 'Quick run' : 'Run'} of ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC against ${backend}: ${machine.cores} × ${machine.cpuModel}, ${machine.kernel}, Node ${machine.node}, load average ${machine.loadAverage.toFixed(1)} at the start.`;
};
