// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/restart.bench.ts` (from packages/ext-supervisor).
// Restart latency on fake-vmm (or the real Firecracker, with KINDLING_FIRECRACKER and
// KINDLING_KERNEL set): from the SIGKILL of a supervised child's Firecracker to the
// supervisor's `restart` event, whose new VM is running. One supervisor (one-for-one) holds two
// children: one booted cold at each restart, one restored from a snapshot kept aside. Their
// samples alternate, so that both see the same machine load; the cold restart is the snapshot
// restart's baseline. The figures also say what the supervisor itself reported (`latencyMs`: from
// the end it saw to the new VM running), which leaves out how long the end took to be seen.

import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { Supervisor, type ChildRestartDetail } from '@kindling/ext-supervisor';
import * as fake from '@kindling/fake-vmm';
import { Vm, type ApiVmConfiguration, type VmSnapshot } from '@kindling/vm';
import { VmmInstallation } from '@kindling/vmm-core';
import { createBenchBackend } from '../../../tooling/bench-backend.ts';
import { recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';

const SAMPLES = sampleCount(40, 8);
const WARMUP = sampleCount(5, 2);
const WAIT_MS = 30_000;

// fake-vmm, or the real Firecracker when KINDLING_FIRECRACKER and KINDLING_KERNEL are set.
const backend = await createBenchBackend(fake, 'supervisor');
const { dir, guest } = backend;
const installation = new VmmInstallation({
  firecrackerPath: backend.firecrackerPath,
  jailerPath: backend.jailerPath ?? '/nonexistent/KINDLING_JAILER-is-unset',
  snapshotEditorPath: backend.snapshotEditorPath,
});
const configuration: ApiVmConfiguration = {
  bootSource: {
    kernel_image_path: guest.kernelPath,
    boot_args: guest.bootArgs,
    ...(guest.initrdPath === undefined ? {} : { initrd_path: guest.initrdPath }),
  },
  machineConfig: { vcpu_count: guest.vcpuCount, mem_size_mib: guest.memSizeMib },
};

const boot = async ({ signal }: { signal: AbortSignal }): Promise<Vm> => {
  const vm = await Vm.prepare({
    installation,
    configuration,
    shutdownActions: [{ method: 'kill' }],
  });
  await vm.start({ signal });
  return vm;
};

// The snapshot, copied where the cleanup of the VM it came from leaves it.
const keepSnapshot = async (): Promise<VmSnapshot> => {
  await using vm = await boot({ signal: AbortSignal.timeout(WAIT_MS) });
  await vm.pause();
  const made = await vm.createSnapshot({
    snapshotPath: path.join(dir, 'made/vm.state'),
    memPath: path.join(dir, 'made/vm.mem'),
  });
  return await made.copy({
    snapshotPath: path.join(dir, 'kept/vm.state'),
    memPath: path.join(dir, 'kept/vm.mem'),
  });
};

const kept = await keepSnapshot();
const supervisor = new Supervisor({
  maxRestarts: 1_000,
  withinMs: 1_000,
  children: [
    { id: 'cold', start: boot },
    {
      id: 'snapshot',
      start: boot,
      snapshot: () => kept,
      restore: async (snapshot, { signal }) => {
        const vm = await Vm.restore(snapshot, {
          resume: true,
          shutdownActions: [{ method: 'kill' }],
        });
        await vm.start({ signal });
        return vm;
      },
    },
  ],
});

// Kills a child's Firecracker; resolves with the time to its restart and the supervisor's figure.
const restartOnce = async (id: string): Promise<{ total: number; seen: number }> => {
  const pid = supervisor.children.get(id)?.pid;
  if (pid === undefined) {
    throw new Error(`child ${id} has no process`);
  }
  const { promise, resolve, reject } = Promise.withResolvers<ChildRestartDetail>();
  const onRestart = (event: CustomEvent<ChildRestartDetail>): void => {
    resolve(event.detail);
  };
  const onFailure = (event: Event): void => {
    reject(new Error(`${event.type}: ${JSON.stringify((event as CustomEvent).detail)}`));
  };
  supervisor.addEventListener('restart', onRestart);
  supervisor.addEventListener('restart-failed', onFailure);
  supervisor.addEventListener('give-up', onFailure);
  const killed = performance.now();
  process.kill(pid, 'SIGKILL');
  try {
    const detail = await promise;
    const total = performance.now() - killed;
    if (detail.id !== id || detail.from !== (id === 'cold' ? 'cold' : 'snapshot')) {
      throw new Error(`expected ${id} restarted as such, got ${detail.id} from ${detail.from}`);
    }
    return { total, seen: detail.latencyMs };
  } finally {
    supervisor.removeEventListener('restart', onRestart);
    supervisor.removeEventListener('restart-failed', onFailure);
    supervisor.removeEventListener('give-up', onFailure);
  }
};

try {
  await supervisor.start();
  for (let run = 0; run < WARMUP; run += 1) {
    await restartOnce('cold');
    await restartOnce('snapshot');
  }
  const cold = { total: [] as number[], seen: [] as number[] };
  const warm = { total: [] as number[], seen: [] as number[] };
  for (let run = 0; run < SAMPLES; run += 1) {
    // Alternating which goes first, so that neither always follows the other.
    const order = run % 2 === 0 ? (['cold', 'snapshot'] as const) : (['snapshot', 'cold'] as const);
    for (const id of order) {
      const sample = await restartOnce(id);
      const into = id === 'cold' ? cold : warm;
      into.total.push(sample.total);
      into.seen.push(sample.seen);
    }
  }
  recordFigure({
    name: `ext-supervisor (${backend.label}): restart latency, SIGKILL → new VM running, from a snapshot`,
    unit: 'ms',
    samples: warm.total,
    baseline: cold.total,
    baselineName: 'the same restart, booted cold',
  });
  recordFigure({
    name: `ext-supervisor (${backend.label}): restart latency, SIGKILL → new VM running, cold boot`,
    unit: 'ms',
    samples: cold.total,
  });
  recordFigure({
    name: `ext-supervisor (${backend.label}): restart latency as reported (end seen → running), from a snapshot`,
    unit: 'ms',
    samples: warm.seen,
    baseline: cold.seen,
    baselineName: 'the same restart, booted cold',
  });
} finally {
  await supervisor.stop();
  await backend[Symbol.asyncDispose]();
}
