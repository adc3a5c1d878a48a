// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FleetOwnerConfig, FleetOwnerReport, FleetVm } from './fleet-owner.js';

const OWNER = fileURLToPath(new URL('fleet-owner.ts', import.meta.url));

/**
 * Two jailed and two unrestricted VMs at once; one of each kind with a network: a plain TAP with
 * egress for the unrestricted one, a namespace of its own with egress for the jailed one.
 */
export const MIXED_FLEET: readonly FleetVm[] = [
  { id: 'free-net', jailed: false, network: { namespace: false, egress: true } },
  { id: 'free', jailed: false },
  { id: 'jail-net', jailed: true, network: { namespace: true, egress: true } },
  { id: 'jail', jailed: true },
];

/** How a fleet owner ended, and what it had started. */
export interface FleetOwnerRun extends FleetOwnerReport {
  readonly signal: NodeJS.Signals | null;
  /** The Firecracker pids still alive the moment the owner's exit was seen. */
  readonly aliveAtExit: readonly number[];
  /** From the signal sent to the owner's exit seen. */
  readonly exitAfterSignalMs: number;
}

// A zombie has exited: only its parent's wait is missing, so it counts as gone.
const isAlive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
};

/**
 * Runs `fleet-owner.ts` until every VM runs, checks `whileRunning` (everything is there), then
 * sends it `signal` and looks, in the very event that says it exited, which Firecrackers live.
 */
export const runFleetOwner = async (
  config: FleetOwnerConfig,
  signal: NodeJS.Signals,
  whileRunning: (report: FleetOwnerReport) => Promise<void>,
): Promise<FleetOwnerRun> => {
  const owner = spawn(process.execPath, [OWNER, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  owner.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const report = await new Promise<FleetOwnerReport>((resolve, reject) => {
    owner.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('\n')) {
        resolve(JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as FleetOwnerReport);
      }
    });
    owner.once('exit', () => reject(new Error(`the owner exited early:\n${stderr}`)));
  });
  await whileRunning(report);
  const exited = new Promise<{ at: number; alive: number[]; signal: NodeJS.Signals | null }>(
    (resolve) => {
      owner.once('exit', (_code, how) => {
        resolve({ at: performance.now(), alive: report.pids.filter(isAlive), signal: how });
      });
    },
  );
  const closed = once(owner, 'close');
  const sentAt = performance.now();
  owner.kill(signal);
  const exit = await exited;
  await closed;
  return {
    ...report,
    signal: exit.signal,
    aliveAtExit: exit.alive,
    exitAfterSignalMs: exit.at - sentAt,
  };
};
