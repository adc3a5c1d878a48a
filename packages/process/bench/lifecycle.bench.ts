// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/lifecycle.bench.ts` (from packages/process).
// The lifecycle through VmmProcess, unrestricted and jailed, against the Node baseline
// (tooling/bench-baseline.ts) in the same run, round by round: spawn, wait for the API socket,
// PUT /machine-config, PUT /boot-source, InstanceStart, pause, SIGKILL, wait for the end, clean
// up. Figures: the whole lifecycle, the time the SDK controls (defined in
// tooling/bench-lifecycle.ts, the same for both), the driver's CPU, and the time from the socket
// accepting to invoke() returning. Against fake-vmm, or the real Firecracker that KINDLING_* name;
// jailed runs need root.

import { performance } from 'node:perf_hooks';
import { VmmProcess } from '@kindling/process';
import type { BenchBackend } from '../../../tooling/bench-backend.ts';
import type { LifecycleHooks } from '../../../tooling/bench-baseline.ts';
import { jailedSkipReason, type LifecycleMarks } from '../../../tooling/bench-lifecycle.ts';
import { compareLifecycles } from '../../../tooling/bench-lifecycle-run.ts';
import { sampleCount } from '../../../tooling/bench-stats.ts';
import { createProcessBenchSetup, type ProcessBenchMode } from './process-bench-setup.ts';

const ROUNDS = sampleCount(30, 5);
const WARMUP = sampleCount(3, 1);

const runKindling = async (
  backend: BenchBackend,
  mode: ProcessBenchMode,
  id: string,
  marks: LifecycleMarks,
  hooks: LifecycleHooks,
): Promise<void> => {
  const { guest } = backend;
  marks.start = performance.now();
  const { options, kernel, initrd } = mode.kindling(id);
  await using vmm = new VmmProcess(options);
  await vmm.prepare();
  hooks.beforeSpawn?.(vmm.socketPath as string);
  marks.spawnCalled = performance.now();
  await vmm.invoke();
  marks.ready = performance.now();
  await vmm.api.put('/machine-config', {
    vcpu_count: guest.vcpuCount,
    mem_size_mib: guest.memSizeMib,
  });
  await vmm.api.put('/boot-source', {
    kernel_image_path: kernel.virtualPath,
    boot_args: guest.bootArgs,
    ...(initrd === undefined ? {} : { initrd_path: initrd.virtualPath }),
  });
  marks.configured = performance.now();
  await vmm.api.put('/actions', { action_type: 'InstanceStart' });
  marks.instanceStarted = performance.now();
  await vmm.api.patch('/vm', { state: 'Paused' });
  marks.paused = performance.now();
  vmm.kill();
  await vmm.waitForExit();
  marks.exited = performance.now();
  await vmm.cleanup();
  marks.cleaned = performance.now();
};

const benchMode = (backend: BenchBackend, mode: ProcessBenchMode): Promise<void> =>
  compareLifecycles({
    label: `process (${backend.label}): ${mode.name}`,
    backend,
    rounds: ROUNDS,
    warmup: WARMUP,
    kindling: (id, marks, hooks) => runKindling(backend, mode, id, marks, hooks),
    baseline: (id) => mode.baseline(id),
  });

await using setup = await createProcessBenchSetup('process-lifecycle');
const { backend } = setup;
await benchMode(backend, setup.unrestricted(await backend.folder('run')));
const skip = jailedSkipReason(backend.jailerPath);
if (skip === undefined) {
  const bases = { k: await backend.folder('jail-k'), b: await backend.folder('jail-b') };
  await benchMode(backend, setup.jailed(backend.jailerPath as string, bases));
} else {
  console.log(`process (${backend.label}): ${skip}`);
}
