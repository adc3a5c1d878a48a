// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { fileURLToPath } from 'node:url';
import { isAlive, startOwnerProcess } from '@kindling/test-utils';
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

/**
 * Runs `fleet-owner.ts` until every VM runs, checks `whileRunning` (everything is there), then
 * sends it `signal` and looks, in the very event that says it exited, which Firecrackers live.
 */
export const runFleetOwner = async (
  config: FleetOwnerConfig,
  signal: NodeJS.Signals,
  whileRunning: (report: FleetOwnerReport) => Promise<void>,
): Promise<FleetOwnerRun> => {
  const {
    child: owner,
    closed,
    report: reported,
  } = startOwnerProcess<FleetOwnerReport>([OWNER, JSON.stringify(config)]);
  const report = await reported;
  await whileRunning(report);
  const exited = new Promise<{ at: number; alive: number[]; signal: NodeJS.Signals | null }>(
    (resolve) => {
      owner.once('exit', (_code, how) => {
        resolve({ at: performance.now(), alive: report.pids.filter(isAlive), signal: how });
      });
    },
  );
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
