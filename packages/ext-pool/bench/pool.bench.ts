// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/pool.bench.ts` (from packages/ext-pool).
// A warm pool's two figures: `acquire()` with a VM ready (one resume: target ≤ 10 ms on fake-vmm),
// sampled one at a time with the pool full before each, against a resume of a VM restored paused
// by hand (the pool's own cost is the difference), and the restore throughput, VMs per second
// from an empty pool of FILL_SIZE to every VM restored and paused. Against fake-vmm, or the real
// Firecracker and guest that KINDLING_FIRECRACKER and KINDLING_KERNEL name.

import path from 'node:path';
import { createVmPool, type VmPoolOptions } from '@kindling/ext-pool';
import * as fake from '@kindling/fake-vmm';
import { Vm, type VmSnapshot } from '@kindling/vm';
import { VmmInstallation } from '@kindling/vmm-core';
import { createBenchBackend, type BenchBackend } from '../../../tooling/bench-backend.ts';
import { recordFigure, sampleCount, timeOnce } from '../../../tooling/bench-stats.ts';

const ACQUIRES = sampleCount(60, 15);
const FILLS = sampleCount(5, 2);
const ACQUIRE_POOL_SIZE = 2;
const FILL_SIZE = 8;
const WAIT = { timeoutMs: 120_000 };

const installationOf = (backend: BenchBackend): VmmInstallation =>
  new VmmInstallation({
    firecrackerPath: backend.firecrackerPath,
    jailerPath: backend.jailerPath ?? '/nonexistent/KINDLING_JAILER-is-unset',
    snapshotEditorPath: backend.snapshotEditorPath,
  });

/** Boots the guest, pauses it, and keeps a copy of its snapshot under `dir`. */
const makeSnapshot = async (backend: BenchBackend, dir: string): Promise<VmSnapshot> => {
  const { guest } = backend;
  await using source = await Vm.prepare({
    installation: installationOf(backend),
    configuration: {
      bootSource: {
        kernel_image_path: guest.kernelPath,
        boot_args: guest.bootArgs,
        ...(guest.initrdPath === undefined ? {} : { initrd_path: guest.initrdPath }),
      },
      machineConfig: { vcpu_count: guest.vcpuCount, mem_size_mib: guest.memSizeMib },
    },
    stateDir: false,
    shutdownActions: [{ method: 'kill' }],
  });
  await source.start();
  await source.pause();
  const made = await source.createSnapshot({
    snapshotPath: path.join(dir, 'made.state'),
    memPath: path.join(dir, 'made.mem'),
  });
  return await made.copy({
    snapshotPath: path.join(dir, 'kept', 'vm.state'),
    memPath: path.join(dir, 'kept', 'vm.mem'),
  });
};

const poolOptions = (snapshot: VmSnapshot, size: number): VmPoolOptions => ({
  snapshot,
  size,
  restoreOptions: { stateDir: false, shutdownActions: [{ method: 'kill' }] },
});

// The baseline: what acquire() wraps, a resume of a VM restored paused by hand.
const resumeByHand = async (snapshot: VmSnapshot): Promise<number> => {
  await using vm = await Vm.restore(snapshot, {
    stateDir: false,
    shutdownActions: [{ method: 'kill' }],
  });
  await vm.start();
  return await timeOnce(() => vm.resume());
};

const benchAcquire = async (snapshot: VmSnapshot, label: string): Promise<void> => {
  await using pool = await createVmPool(poolOptions(snapshot, ACQUIRE_POOL_SIZE));
  const samples: number[] = [];
  const baseline: number[] = [];
  // Alternating, so that both see the same load.
  for (let index = 0; index < ACQUIRES; index += 1) {
    await pool.waitUntilFull(WAIT);
    let vm: Vm | undefined;
    samples.push(
      await timeOnce(async () => {
        vm = await pool.acquire(WAIT);
      }),
    );
    if (vm !== undefined) {
      await pool.release(vm);
    }
    baseline.push(await resumeByHand(snapshot));
  }
  recordFigure({
    name: `ext-pool: acquire() with a VM ready (resume), ${label}`,
    unit: 'ms',
    samples,
    baseline,
    baselineName: 'vm.resume() of a VM restored paused by hand',
    ...(label === 'fake-vmm' ? { target: { max: 10 } } : {}),
  });
};

const benchFill = async (snapshot: VmSnapshot, label: string): Promise<void> => {
  const samples: number[] = [];
  for (let round = 0; round < FILLS; round += 1) {
    const began = performance.now();
    const pool = await createVmPool(poolOptions(snapshot, FILL_SIZE));
    try {
      await pool.waitUntilFull(WAIT);
      samples.push(FILL_SIZE / ((performance.now() - began) / 1000));
    } finally {
      // Not timed: the drain is not the restores'.
      await pool.drain();
    }
  }
  recordFigure({
    name: `ext-pool: restore throughput, an empty pool of ${FILL_SIZE} to full, ${label}`,
    unit: 'VMs/s',
    samples,
  });
};

const backend = await createBenchBackend(fake, 'pool');
try {
  const snapshot = await makeSnapshot(backend, await backend.folder('snapshot'));
  await benchAcquire(snapshot, backend.label);
  await benchFill(snapshot, backend.label);
} finally {
  await backend[Symbol.asyncDispose]();
}
