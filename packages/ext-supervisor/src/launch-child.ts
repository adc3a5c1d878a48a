// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createDeadline, raceSignal } from '@kindling/helpers';
import type { Vm } from '@kindling/vm';
import type { ChildStartContext, ResolvedChildSpec } from './supervisor-options.js';

/** A child's new VM, running, and how it was made. */
export interface LaunchedChild {
  readonly vm: Vm;
  readonly from: 'snapshot' | 'cold';
  /** Why the snapshot restore failed, when the child was booted cold instead. */
  readonly snapshotError?: unknown;
}

/** How one launch runs: its start count, its time limit and the supervisor's stop signal. */
export interface LaunchOptions {
  readonly attempt: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Whether the child's snapshot may be used (a restart), or it boots cold (the first start). */
  readonly fromSnapshot: boolean;
  /** Told when a VM that came too late, or failed to start, could not be disposed of. */
  readonly onDisposalError: (vm: Vm, error: unknown) => void;
}

type DisposalReport = LaunchOptions['onDisposalError'];

const dispose = (vm: Vm, report: DisposalReport): Promise<void> =>
  vm[Symbol.asyncDispose]().catch((error: unknown) => {
    report(vm, error);
  });

// Runs `make` until the deadline, and starts the VM it gives if it is not started yet. A VM
// handed back after its time was up is nobody's: it goes, so nothing is left behind.
const makeRunning = async (
  make: () => Promise<Vm>,
  signal: AbortSignal,
  report: DisposalReport,
): Promise<Vm> => {
  const made = make();
  let vm: Vm;
  try {
    vm = await raceSignal(made, signal);
  } catch (error) {
    // The failure is `make`'s own, already thrown below: only a late VM matters here.
    made.then(
      (late) => dispose(late, report),
      () => {},
    );
    throw error;
  }
  if (vm.state === 'not-started') {
    try {
      await vm.start({ signal });
    } catch (error) {
      await dispose(vm, report);
      throw error;
    }
  }
  return vm;
};

/**
 * Makes a child's VM and has it running within `timeoutMs`: restored from the child's snapshot
 * when `fromSnapshot` and one is configured, and booted cold otherwise or when the restore
 * fails (the restore's error is reported). A failure leaves no VM behind.
 */
export const launchChild = async (
  child: ResolvedChildSpec,
  options: LaunchOptions,
): Promise<LaunchedChild> => {
  using deadline = createDeadline(options.timeoutMs, options.signal);
  const context: ChildStartContext = {
    id: child.id,
    signal: deadline.signal,
    attempt: options.attempt,
  };
  const snapshot = options.fromSnapshot ? child.snapshot?.() : undefined;
  let snapshotError: unknown;
  if (snapshot !== undefined && child.restore !== undefined) {
    const { restore } = child;
    try {
      const vm = await makeRunning(
        () => restore(snapshot, context),
        deadline.signal,
        options.onDisposalError,
      );
      return { vm, from: 'snapshot' };
    } catch (error) {
      // Stopping, or out of time: no cold boot either.
      deadline.signal.throwIfAborted();
      snapshotError = error;
    }
  }
  const vm = await makeRunning(
    () => child.start(context),
    deadline.signal,
    options.onDisposalError,
  );
  return snapshotError === undefined ? { vm, from: 'cold' } : { vm, from: 'cold', snapshotError };
};
