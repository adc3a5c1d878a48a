// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/snapshot.bench.ts` (from packages/vm).
// A Full snapshot of a paused VM, a copy of it kept elsewhere, and a restore into a new VM:
// through @kindling/vm (vm.createSnapshot(), snapshot.copy(), Vm.restore() + start()) against the
// same calls by hand (tooling/bench-baseline.ts: PUT /snapshot/create, `cp --sparse=always`, a new
// Firecracker and PUT /snapshot/load), alternating round by round. Each step timed on its own;
// the restore runs from the call that prepares the new VM to the snapshot loaded. Target: each
// within 1.2× the baseline. Against fake-vmm, or the real Firecracker that KINDLING_* name.

import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Vm, type VmSnapshot } from '@kindling/vm';
import { BaselineVm } from '../../../tooling/bench-baseline.ts';
import { alternate, type Side } from '../../../tooling/bench-lifecycle.ts';
import { recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';
import { createVmBenchSetup, type VmBenchSetup } from './vm-bench-setup.ts';

const ROUNDS = sampleCount(10, 3);
const WARMUP = 1;
const BASELINE_NAME = 'raw API calls + cp --sparse=always';
const execFileAsync = promisify(execFile);

type Step = 'create' | 'copy' | 'restore';
type StepTimes = Record<Step, number>;

const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};

const runKindling = async (setup: VmBenchSetup, folder: string, id: string): Promise<StepTimes> => {
  await using vm = await Vm.prepare({
    ...setup.unrestricted(folder, id),
    installation: setup.installation,
    configuration: setup.configuration,
    shutdownActions: [{ method: 'kill' }],
  });
  await vm.start();
  await vm.pause();
  let snapshot: VmSnapshot | undefined;
  const create = await timed(async () => {
    snapshot = await vm.createSnapshot({
      snapshotPath: path.join(folder, 'vm.state'),
      memPath: path.join(folder, 'vm.mem'),
    });
  });
  let kept = snapshot;
  const copy = await timed(async () => {
    kept = await snapshot?.copy({
      snapshotPath: path.join(folder, 'kept', 'vm.state'),
      memPath: path.join(folder, 'kept', 'vm.mem'),
    });
  });
  let restored: Vm | undefined;
  try {
    const restore = await timed(async () => {
      if (kept === undefined) {
        throw new Error('no snapshot to restore');
      }
      restored = await Vm.restore(kept, {
        executor: setup.unrestricted(folder, `${id}r`).executor,
        shutdownActions: [{ method: 'kill' }],
      });
      await restored.start();
    });
    return { create, copy, restore };
  } finally {
    await restored?.[Symbol.asyncDispose]();
  }
};

const runBaseline = async (
  backend: VmBenchSetup['backend'],
  folder: string,
  id: string,
): Promise<StepTimes> => {
  const started: BaselineVm[] = [];
  const start = async (name: string): Promise<BaselineVm> => {
    const vm = await BaselineVm.prepare({
      firecrackerPath: backend.firecrackerPath,
      id: name,
      socketPath: path.join(folder, `${name}.sock`),
    });
    started.push(vm);
    await vm.spawn();
    await vm.waitReady();
    return vm;
  };
  try {
    const vm = await start(id);
    await vm.configure(backend.guest);
    await vm.instanceStart();
    await vm.pause();
    const [state, mem] = [path.join(folder, 'vm.state'), path.join(folder, 'vm.mem')];
    const keptDir = path.join(folder, 'kept');
    const [keptState, keptMem] = [path.join(keptDir, 'vm.state'), path.join(keptDir, 'vm.mem')];
    const create = await timed(
      () =>
        vm.api?.call('PUT', '/snapshot/create', {
          snapshot_type: 'Full',
          snapshot_path: state,
          mem_file_path: mem,
        }) ?? Promise.reject(new Error('no API')),
    );
    const copy = await timed(async () => {
      await mkdir(keptDir);
      await execFileAsync('cp', ['--sparse=always', state, keptState]);
      await execFileAsync('cp', ['--sparse=always', mem, keptMem]);
    });
    const restore = await timed(async () => {
      const restored = await start(`${id}r`);
      await restored.api?.call('PUT', '/snapshot/load', {
        snapshot_path: keptState,
        mem_backend: { backend_type: 'File', backend_path: keptMem },
      });
    });
    for (const each of started.splice(0)) {
      await each.kill();
      await each.cleanup();
    }
    return { create, copy, restore };
  } finally {
    for (const each of started) {
      await each.abandon();
    }
  }
};

await using setup = await createVmBenchSetup('vm-snapshot');
const { backend } = setup;
const times: Record<Side, StepTimes[]> = { kindling: [], baseline: [] };
await alternate(ROUNDS, WARMUP, async (side, index, recorded) => {
  const id = `${side[0]}${index}`;
  const folder = await backend.folder(id);
  try {
    const measured =
      side === 'kindling'
        ? await runKindling(setup, folder, id)
        : await runBaseline(backend, folder, id);
    if (recorded) {
      times[side].push(measured);
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
const label = `vm (${backend.label}): snapshot of a paused ${backend.guest.memSizeMib} MiB VM`;
for (const [step, what] of [
  ['create', 'create (Full)'],
  ['copy', 'copy (sparse)'],
  ['restore', 'restore into a new VM'],
] as const) {
  recordFigure({
    name: `${label}, ${what}`,
    unit: 'ms',
    samples: times.kindling.map((entry) => entry[step]),
    baseline: times.baseline.map((entry) => entry[step]),
    baselineName: BASELINE_NAME,
    target: { ratio: 1.2 },
  });
}
