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

import type { FSWatcher } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { JailedExecutor, UnrestrictedExecutor, type VmmExecutor } from '@kindling/executor';
import * as fake from '@kindling/fake-vmm';
import { Vm } from '@kindling/vm';
import { JailerArguments, VmmArguments, VmmInstallation, type OwnershipModel } from '@kindling/vmm-core';
import { createBenchBackend, type BenchBackend } from '../../../tooling/bench-backend.ts';
import {
  runBaselineLifecycle,
  type BaselineJail,
  type LifecycleHooks,
} from '../../../tooling/bench-baseline.ts';
import {
  alternate,
  jailedSkipReason,
  measureCpu,
  watchSocketAppearing,
  type LifecycleMarks,
} from '../../../tooling/bench-lifecycle.ts';
import {
  createLifecycleSamples,
  recordLifecycleFigures,
} from '../../../tooling/bench-lifecycle-report.ts';
import { sampleCount } from '../../../tooling/bench-stats.ts';

const ROUNDS = sampleCount(30, 5);
const WARMUP = sampleCount(3, 1);
// The jail's user: nobody, so that the ownership change is real.
const JAIL_USER = { uid: 65_534, gid: 65_534 };

interface Mode {
  readonly name: 'unrestricted' | 'jailed';
  kindling(id: string): { executor: VmmExecutor; ownership: OwnershipModel };
  baseline(id: string): { socketPath?: string; jail?: BaselineJail };
}

const runKindling = async (
  backend: BenchBackend,
  installation: VmmInstallation,
  mode: Mode,
  id: string,
  marks: LifecycleMarks,
  hooks: LifecycleHooks,
): Promise<void> => {
  const { guest } = backend;
  marks.start = performance.now();
  await using vm = await Vm.prepare({
    ...mode.kindling(id),
    installation,
    configuration: {
      bootSource: {
        kernel_image_path: guest.kernelPath,
        boot_args: guest.bootArgs,
        ...(guest.initrdPath === undefined ? {} : { initrd_path: guest.initrdPath }),
      },
      machineConfig: { vcpu_count: guest.vcpuCount, mem_size_mib: guest.memSizeMib },
    },
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

const unrestrictedMode = (runDir: string): Mode => ({
  name: 'unrestricted',
  kindling: (id) => ({
    executor: new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({ apiSocket: path.join(runDir, `${id}.sock`), id }),
    }),
    ownership: { kind: 'shared' },
  }),
  baseline: (id) => ({ socketPath: path.join(runDir, `${id}.sock`) }),
});

const jailedMode = (
  backend: BenchBackend,
  jailerPath: string,
  bases: Record<'k' | 'b', string>,
): Mode => ({
  name: 'jailed',
  kindling: (id) => ({
    executor: new JailedExecutor({
      vmmArguments: new VmmArguments({}),
      jailerArguments: new JailerArguments({
        id,
        execFile: backend.firecrackerPath,
        ...JAIL_USER,
        chrootBaseDir: bases.k,
        daemonize: true,
        newPidNs: true,
      }),
    }),
    ownership: { kind: 'downgraded', ...JAIL_USER },
  }),
  baseline: () => ({ jail: { jailerPath, chrootBaseDir: bases.b, ...JAIL_USER } }),
});

const benchMode = async (backend: BenchBackend, mode: Mode): Promise<void> => {
  const installation = new VmmInstallation({
    firecrackerPath: backend.firecrackerPath,
    jailerPath: backend.jailerPath ?? '/nonexistent',
    snapshotEditorPath: backend.snapshotEditorPath,
  });
  const samples = createLifecycleSamples();
  await alternate(ROUNDS, WARMUP, async (side, index, recorded) => {
    // Short ids: a jail's socket path must fit a socket address.
    const id = `${side[0]}${index}`;
    const marks: LifecycleMarks = {};
    let watcher: FSWatcher | undefined;
    const hooks: LifecycleHooks = {
      beforeSpawn: (socketPath) => {
        watcher = watchSocketAppearing(socketPath, marks);
      },
    };
    const { cpuMs } = await measureCpu(() =>
      side === 'kindling'
        ? runKindling(backend, installation, mode, id, marks, hooks)
        : runBaselineLifecycle(
            { firecrackerPath: backend.firecrackerPath, id, ...mode.baseline(id) },
            backend.guest,
            marks,
            hooks,
          ),
    ).finally(() => watcher?.close());
    if (recorded) {
      // A Vm's readiness is inside start(), so there is no readiness figure here (process has it).
      samples[side].marks.push(marks);
      samples[side].cpuMs.push(cpuMs);
    }
  });
  recordLifecycleFigures(`vm (${backend.label}): ${mode.name}`, samples);
};

await using backend = await createBenchBackend(fake, 'vm-lifecycle');
await benchMode(backend, unrestrictedMode(await backend.folder('run')));
const skip = jailedSkipReason(backend.jailerPath);
if (skip === undefined) {
  const bases = { k: await backend.folder('jail-k'), b: await backend.folder('jail-b') };
  await benchMode(backend, jailedMode(backend, backend.jailerPath as string, bases));
} else {
  console.log(`vm (${backend.label}): ${skip}`);
}
