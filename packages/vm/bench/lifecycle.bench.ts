// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/lifecycle.bench.ts` (from packages/vm).
// The lifecycle through a Vm, unrestricted and jailed, against the Node baseline
// (tooling/bench-baseline.ts) in the same run, round by round: Vm.prepare, start({ boot: false })
// (spawn, API socket, PUT /machine-config, PUT /boot-source), boot() (InstanceStart), pause(),
// shutdown([kill]), cleanup(). Figures: the whole lifecycle, the time the SDK controls (defined in
// tooling/bench-lifecycle.ts, the same for both; a Vm's readiness and PUTs are one span, from the
// socket appearing to start() returning), and the driver's CPU. Against fake-vmm, or the real
// Firecracker that KINDLING_* name; jailed runs need root.

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Vm } from '@kindling/vm';
import type { BaselineJail, LifecycleHooks } from '../../../tooling/bench-baseline.ts';
import { jailedSkipReason, type LifecycleMarks } from '../../../tooling/bench-lifecycle.ts';
import { compareLifecycles } from '../../../tooling/bench-lifecycle-run.ts';
import { sampleCount } from '../../../tooling/bench-stats.ts';
import { createVmBenchSetup, JAIL_USER, type VmBenchSetup } from './vm-bench-setup.ts';

const ROUNDS = sampleCount(30, 5);
const WARMUP = sampleCount(3, 1);

interface Mode {
  readonly name: 'unrestricted' | 'jailed';
  kindling(id: string): ReturnType<VmBenchSetup['unrestricted']>;
  baseline(id: string): { socketPath?: string; jail?: BaselineJail };
}

const runKindling = async (
  setup: VmBenchSetup,
  mode: Mode,
  id: string,
  marks: LifecycleMarks,
  hooks: LifecycleHooks,
): Promise<void> => {
  marks.start = performance.now();
  await using vm = await Vm.prepare({
    ...mode.kindling(id),
    installation: setup.installation,
    configuration: setup.configuration,
    shutdownActions: [{ method: 'kill' }],
  });
  hooks.beforeSpawn?.(vm.socketPath as string);
  marks.spawnCalled = performance.now();
  await vm.start({ boot: false });
  marks.configured = performance.now();
  await vm.boot();
  marks.instanceStarted = performance.now();
  await vm.pause();
  marks.paused = performance.now();
  await vm.shutdown();
  marks.exited = performance.now();
  await vm.cleanup();
  marks.cleaned = performance.now();
};

const unrestrictedMode = (setup: VmBenchSetup, runDir: string): Mode => ({
  name: 'unrestricted',
  kindling: (id) => setup.unrestricted(runDir, id),
  baseline: (id) => ({ socketPath: path.join(runDir, `${id}.sock`) }),
});

const jailedMode = (
  setup: VmBenchSetup,
  jailerPath: string,
  bases: Record<'k' | 'b', string>,
): Mode => ({
  name: 'jailed',
  kindling: (id) => setup.jailed(bases.k, id),
  baseline: () => ({ jail: { jailerPath, chrootBaseDir: bases.b, ...JAIL_USER } }),
});

// A Vm's readiness is inside start(), so its readiness figure is the process layer's.
const benchMode = (setup: VmBenchSetup, mode: Mode): Promise<void> =>
  compareLifecycles({
    label: `vm (${setup.backend.label}): ${mode.name}`,
    backend: setup.backend,
    rounds: ROUNDS,
    warmup: WARMUP,
    kindling: (id, marks, hooks) => runKindling(setup, mode, id, marks, hooks),
    baseline: (id) => mode.baseline(id),
  });

await using setup = await createVmBenchSetup('vm-lifecycle');
const { backend } = setup;
await benchMode(setup, unrestrictedMode(setup, await backend.folder('run')));
const skip = jailedSkipReason(backend.jailerPath);
if (skip === undefined) {
  const bases = { k: await backend.folder('jail-k'), b: await backend.folder('jail-b') };
  await benchMode(setup, jailedMode(setup, backend.jailerPath as string, bases));
} else {
  console.log(`vm (${backend.label}): ${skip}`);
}
