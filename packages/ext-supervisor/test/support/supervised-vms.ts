// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import {
  createVmTestHarness,
  unrestricted,
  type ExecutorSetup,
  type VmTestHarness,
} from '@kindling/test-vm';
import type { Vm, VmSnapshot } from '@kindling/vm';
import { expect } from 'vitest';
import type { ChildStartContext } from '../../src/index.js';

/** VMs of the fake on one harness: cold starts, snapshots kept aside, restores, kills. */
export interface SupervisedVms extends AsyncDisposable {
  readonly harness: VmTestHarness;
  /** A child's `start`: a new VM of the fake, booted cold (unrestricted unless `setup` says). */
  startVm(context?: Partial<ChildStartContext>, setup?: ExecutorSetup): Promise<Vm>;
  /** A snapshot of a booted VM, copied where its VM's cleanup leaves it; that VM is gone. */
  snapshotAside(): Promise<VmSnapshot>;
  /** A child's `restore`: a new VM restored from `snapshot`, running. */
  restoreVm(snapshot: VmSnapshot): Promise<Vm>;
  /** SIGKILLs a VM's Firecracker and waits for its `crash`. */
  crash(vm: Vm): Promise<void>;
}

/** The value, failing the test when it is undefined. */
export const defined = <Value>(value: Value | undefined): Value => {
  expect(value).toBeDefined();
  return value as Value;
};

/** The next event of that type on `target`, within TEST_WAIT_MS. */
export const nextEvent = async <Detail>(
  target: EventTarget,
  type: string,
): Promise<CustomEvent<Detail>> => {
  const [event] = (await once(target, type, {
    signal: AbortSignal.timeout(TEST_WAIT_MS),
  })) as [CustomEvent<Detail>];
  return event;
};

export const createSupervisedVms = async (label: string): Promise<SupervisedVms> => {
  const harness = await createVmTestHarness({ label });
  let count = 0;
  const folder = (kind: string): string => {
    count += 1;
    return `${kind}${count}`;
  };
  const startVm = async (
    context: Partial<ChildStartContext> = {},
    setup: ExecutorSetup = unrestricted,
  ): Promise<Vm> => {
    const vm = await harness.prepare(setup, harness.configuration(folder('c')));
    await vm.start(context.signal === undefined ? {} : { signal: context.signal });
    return vm;
  };
  return {
    harness,
    startVm,
    snapshotAside: async () => {
      const name = folder('s');
      const vm = await startVm();
      await vm.pause();
      const snapshot = await vm.createSnapshot({
        snapshotPath: harness.pathFor(`${name}/vm.state`),
        memPath: harness.pathFor(`${name}/vm.mem`),
      });
      const kept = await snapshot.copy({
        snapshotPath: harness.pathFor(`${name}-kept/vm.state`),
        memPath: harness.pathFor(`${name}-kept/vm.mem`),
      });
      await vm[Symbol.asyncDispose]();
      return kept;
    },
    restoreVm: (snapshot) => harness.restore(unrestricted, snapshot, folder('r')),
    crash: async (vm) => {
      const crashed = nextEvent(vm, 'crash');
      process.kill(defined(vm.pid), 'SIGKILL');
      await crashed;
    },
    [Symbol.asyncDispose]: () => harness[Symbol.asyncDispose](),
  };
};

/** Waits, within TEST_WAIT_MS, until `check` holds (what another task makes true). */
export const waitUntil = async (check: () => boolean): Promise<void> => {
  const deadline = Date.now() + TEST_WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`not so within ${TEST_WAIT_MS} ms`);
    }
    await delay(10);
  }
};
