// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { LoadRun } from './load-run.ts';
import { monitorLoopStalls, type LoopStalls } from './loop-stall-monitor.ts';
import { runVmLifecycle, type VmOutcome, type VmPlan } from './vm-lifecycle.ts';

/** The bounds of every VM of a burst or a soak on this machine (`VmPlan` without its choices). */
export type VmBounds = Pick<VmPlan, 'boundMs' | 'waitMs' | 'apiTimeoutMs' | 'ctrlAltDelMs'>;

/**
 * The bounds of VMs whose every wait (socket, serial marker, vsock, API call, Ctrl+Alt+Del) is
 * bounded by `waitMs` unless `faults` shortens the API's and Ctrl+Alt+Del's (so that a stalled
 * call or a guest ignoring Ctrl+Alt+Del ends soon); a VM's life, and its teardown, get three.
 */
export const boundsFor = (
  waitMs: number,
  faults: Partial<Pick<VmBounds, 'apiTimeoutMs' | 'ctrlAltDelMs'>> = {},
): VmBounds => ({
  boundMs: 3 * waitMs,
  waitMs,
  apiTimeoutMs: faults.apiTimeoutMs ?? waitMs,
  ctrlAltDelMs: faults.ctrlAltDelMs ?? waitMs,
});

/** What a burst did: each VM's outcome, its wall time, and the event loop's delays meanwhile. */
export interface BurstReport {
  readonly outcomes: readonly VmOutcome[];
  readonly wallMs: number;
  readonly stalls: LoopStalls;
}

/** Lives `plans.length` VMs at once on `run` (`runVmLifecycle` each), watching the event loop. */
export const runBurst = async (run: LoadRun, plans: readonly VmPlan[]): Promise<BurstReport> => {
  const monitor = monitorLoopStalls();
  const started = performance.now();
  const outcomes = await Promise.all(plans.map((plan) => runVmLifecycle(run, plan)));
  return { outcomes, wallMs: performance.now() - started, stalls: monitor.stop() };
};

/**
 * One clean VM of each kind (unrestricted with a TAP, unrestricted in a namespace, jailed), one
 * after the other: what is made once per process (modules, pools, the state folders' lock
 * files) exists before a census counts the baseline. Resolves with the outcomes that failed.
 */
export const warmUp = async (run: LoadRun, bounds: VmBounds): Promise<VmOutcome[]> => {
  const failed: VmOutcome[] = [];
  for (const shape of [{ jailed: false }, { jailed: false, namespace: true }, { jailed: true }]) {
    const outcome = await runVmLifecycle(run, { ...bounds, ...shape, profile: 'clean' });
    if (outcome.result !== 'ok' || outcome.teardown !== 'ok') {
      failed.push(outcome);
    }
  }
  return failed;
};
