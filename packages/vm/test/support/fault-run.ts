// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import type { ProcessHandleExit } from '@kindling/executor';
import { reconcile } from '@kindling/process';
import { listLeftoverProcesses, TEST_WAIT_MS } from '@kindling/test-utils';
import { Vm, type VmEndEvent } from '../../src/index.js';
import {
  faultConfiguration,
  type FaultExpectation,
  type FaultRow,
  type FaultRun,
} from './fault-table.js';
import { createVmHarness, NEEDS_FAULT, type ExecutorSetup } from './vm-harness.js';

/** Whether a row needs a fake-vmm switch, so cannot run on a real Firecracker. */
export const needsFake = (row: FaultRow): boolean => Object.keys(row.switches).length > 0;

/** A row's title: its id, and why it is skipped on a real Firecracker when it needs a switch. */
export const faultTitle = (row: FaultRow): string =>
  needsFake(row) ? `${row.id} ${NEEDS_FAULT}` : row.id;

/** What a row's call did, in the terms of `FaultExpectation`, measured. */
export interface FaultObservation {
  readonly error?: { name: string; code: unknown; cause: unknown; message: string };
  readonly state: string;
  readonly events: readonly string[];
  readonly exit: ProcessHandleExit | undefined;
  /** How long the call took to settle. */
  readonly elapsedMs: number;
}

/** The expectation as observed by `observeFault`, for one `toEqual`/`toMatchObject`. */
export const expectedObservation = (
  row: FaultRow,
  setup: ExecutorSetup,
): Omit<FaultObservation, 'elapsedMs' | 'error'> & { error?: object } => {
  const { error, state, event, exit }: FaultExpectation = row.expected;
  return {
    ...(error === undefined
      ? {}
      : {
          error: {
            name: error.name,
            code: error.code,
            ...(error.cause === undefined ? {} : { cause: error.cause }),
          },
        }),
    state,
    events: event === undefined ? [] : [event],
    // A detached (jailed) process's end cannot be seen: its exit is `unknown`.
    exit: exit === undefined ? undefined : setup.jailed ? { kind: 'unknown' } : exit,
  };
};

/** What a row's call must say, besides its class and codes. */
export const expectedWords = (row: FaultRow): readonly string[] => row.expected.error?.words ?? [];

const codeOf = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && 'code' in value ? value.code : undefined;

/** Runs the row's call on the VM, timed, and reports what users saw. */
export const observeFault = async (
  row: FaultRow,
  { vm, run, events }: FaultFixture,
): Promise<FaultObservation> => {
  const startedAt = performance.now();
  let error: FaultObservation['error'];
  try {
    await row.meet(vm, run);
  } catch (caught) {
    const { name, message, cause } = caught as Error;
    error = { name, code: codeOf(caught), cause: codeOf(cause), message };
  }
  const elapsedMs = Math.round(performance.now() - startedAt);
  return {
    ...(error === undefined ? {} : { error }),
    state: vm.state,
    events: [...events],
    exit: vm.exit,
    elapsedMs,
  };
};

/** A row's run: its harness with the row's switches, its VMs, and what it leaves behind. */
export interface FaultFixture extends AsyncDisposable {
  readonly run: FaultRun;
  /** The row's VM, brought to the fault. */
  readonly vm: Vm;
  /** Every end event of the row's VM, by type, in order. */
  readonly events: string[];
  /** Ends what still runs (the row's VM last), then cleans every VM up. */
  finish(): Promise<void>;
  /** What is left after `finish()`: processes, files, socket, state records. */
  leftovers(): Promise<FaultLeftovers>;
}

/** Everything a row may leave behind; all empty when nothing is. */
export interface FaultLeftovers {
  readonly processes: readonly number[];
  readonly files: readonly string[];
  readonly socket: boolean;
  readonly reconciled: number;
  readonly recordsOfLiveOwners: number;
}

/** Makes the row's harness and run, and brings its VM to the fault (`row.arrange`). */
export const arrangeFault = async (row: FaultRow, setup: ExecutorSetup): Promise<FaultFixture> => {
  const harness = await createVmHarness(row.switches);
  const others: Vm[] = [];
  const stateDir = harness.pathFor('state');
  const run: FaultRun = {
    harness,
    setup,
    prepare: async (options = {}, flags = {}) => {
      const { executor, ownership } = setup.create(harness, harness.nextId(), flags);
      return harness.track(
        await Vm.prepare({
          executor,
          ownership,
          installation: harness.installation,
          configuration: faultConfiguration(harness),
          stateDir,
          socketWaitTimeoutMs: TEST_WAIT_MS,
          ...options,
        }),
      );
    },
    keep: (vm) => {
      others.push(vm);
    },
  };
  const vm = harness.track(await row.arrange(run));
  const events: string[] = [];
  const record = (event: Event): void => {
    events.push((event as VmEndEvent).type);
  };
  vm.addEventListener('exit', record);
  vm.addEventListener('crash', record);
  let pids: number[] = [];
  let socketPath: string | undefined;
  const finish = async (): Promise<void> => {
    socketPath = vm.socketPath;
    pids = [vm, ...others].flatMap((each) => (each.pid === undefined ? [] : [each.pid]));
    for (const each of [vm, ...others]) {
      await each.shutdown([{ method: 'kill' }]);
      await each.cleanup();
    }
  };
  return {
    run,
    vm,
    events,
    finish,
    leftovers: async () => {
      const report = await reconcile({ stateDir });
      return {
        processes: await listLeftoverProcesses(pids),
        files: await harness.leftovers(),
        socket: socketPath !== undefined && existsSync(socketPath),
        reconciled: report.reconciled.length,
        recordsOfLiveOwners: report.skipped,
      };
    },
    [Symbol.asyncDispose]: () => harness.dispose(),
  };
};

/** What `leftovers()` reports when nothing is left. */
export const NOTHING_LEFT: FaultLeftovers = {
  processes: [],
  files: [],
  socket: false,
  reconciled: 0,
  recordsOfLiveOwners: 0,
};
