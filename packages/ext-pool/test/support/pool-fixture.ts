// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { createVmTestHarness, type ExecutorSetup, type VmTestHarness } from '@kindling/test-vm';
import type { Vm, VmRestoreOptions, VmSnapshot } from '@kindling/vm';
import type {
  PoolRestoreContext,
  VmPool,
  VmPoolEventMap,
  VmPoolEventType,
} from '../../src/index.js';

/** A test installation, a snapshot of a started VM, and each pooled VM's restore options. */
export interface PoolFixture extends AsyncDisposable {
  readonly harness: VmTestHarness;
  readonly snapshot: VmSnapshot;
  /** Each restore's own executor (its API socket) and vsock socket, killed at shutdown. */
  readonly restoreOptions: (context: PoolRestoreContext) => VmRestoreOptions;
  /** Every VM the pool restored through `restoreOptions`, by API socket, to check they are gone. */
  readonly socketsMade: readonly string[];
}

/** Boots a VM with `setup`, pauses it and keeps a copy of its snapshot; the VM is then killed. */
export const createPoolFixture = async (
  setup: ExecutorSetup,
  label: string,
): Promise<PoolFixture> => {
  const harness = await createVmTestHarness({ label: `pool-${label}` });
  try {
    // Snapshotted right after start, before its guest boots: a pool only resumes its VMs, so the
    // tests run on a real Firecracker too, whose guest does not get far on every host.
    const source: Vm = await harness.prepare(setup, harness.configuration('source'));
    await source.start();
    await source.pause();
    const made = await source.createSnapshot({
      snapshotPath: harness.pathFor('made/vm.state'),
      memPath: harness.pathFor('made/vm.mem'),
    });
    const snapshot = await made.copy({
      snapshotPath: harness.pathFor('kept/vm.state'),
      memPath: harness.pathFor('kept/vm.mem'),
    });
    await source[Symbol.asyncDispose]();
    const token = randomUUID().slice(0, 6);
    const socketsMade: string[] = [];
    return {
      harness,
      snapshot,
      socketsMade,
      restoreOptions: ({ sequence }) => {
        const choice = setup.create(
          harness.dir,
          harness.installation,
          `${setup.tag}p${sequence}${token}`,
        );
        socketsMade.push(harness.pathFor(`pool${sequence}/v.sock`));
        return {
          ...choice,
          vsockOverride: { uds_path: harness.pathFor(`pool${sequence}/v.sock`) },
          stateDir: false,
          socketWaitTimeoutMs: TEST_WAIT_MS,
          shutdownActions: [{ method: 'kill' }],
        };
      },
      [Symbol.asyncDispose]: () => harness[Symbol.asyncDispose](),
    };
  } catch (error) {
    await harness[Symbol.asyncDispose]();
    throw error;
  }
};

/** The running processes (not zombies) whose command line names something under `dir`. */
export const listProcessesUnder = async (dir: string): Promise<number[]> => {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) {
      continue;
    }
    const [cmdline, stat] = await Promise.all([
      readFile(`/proc/${pid}/cmdline`, 'latin1').catch(() => ''),
      readFile(`/proc/${pid}/stat`, 'latin1').catch(() => ''),
    ]);
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (cmdline.includes(dir) && state !== 'Z' && state !== '') {
      found.push(pid);
    }
  }
  return found;
};

/** The details of every `type` event the pool fires from now on, and when `count` have come (bounded). */
export const collectEvents = <Type extends VmPoolEventType>(
  pool: VmPool,
  type: Type,
  count: number,
): { readonly details: VmPoolEventMap[Type]['detail'][]; readonly reached: Promise<void> } => {
  const details: VmPoolEventMap[Type]['detail'][] = [];
  const { promise, resolve, reject } = Promise.withResolvers<void>();
  const timer = setTimeout(() => {
    reject(new Error(`${details.length} of ${count} ${type} events within ${TEST_WAIT_MS} ms`));
  }, TEST_WAIT_MS);
  pool.addEventListener(type, (event) => {
    details.push(event.detail);
    if (details.length === count) {
      clearTimeout(timer);
      resolve();
    }
  });
  return { details, reached: promise };
};
