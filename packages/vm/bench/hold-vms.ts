// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The child process of memory.bench.ts (not a benchmark itself): a fresh Node process that starts
// `count` VMs (configured and InstanceStart sent) through @kindling/vm or through the Node
// baseline, collects garbage, prints its resident memory as one JSON line, then stops and cleans
// up every VM. Run as `node --expose-gc bench/hold-vms.ts <kindling|baseline> <count>` with
// KINDLING_BENCH_HOLD holding the binaries, the guest and a folder for the sockets (JSON).

import path from 'node:path';
import process from 'node:process';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { BenchGuest } from '../../../tooling/bench-lifecycle.ts';

// Each side loads only its own modules, so that neither process carries the other's code.

interface HoldSetup {
  readonly firecrackerPath: string;
  readonly snapshotEditorPath: string;
  readonly guest: BenchGuest;
  readonly runDir: string;
}

/** One held VM: how to let it go. */
type Release = () => Promise<void>;

const [mode, countText] = process.argv.slice(2);
const count = Number(countText);
const setup = JSON.parse(process.env['KINDLING_BENCH_HOLD'] ?? 'null') as HoldSetup;
const { guest } = setup;
const bootSource = {
  kernel_image_path: guest.kernelPath,
  boot_args: guest.bootArgs,
  ...(guest.initrdPath === undefined ? {} : { initrd_path: guest.initrdPath }),
};

const holdWithKindling = async (id: string): Promise<Release> => {
  const [{ UnrestrictedExecutor }, { Vm }, { VmmArguments, VmmInstallation }] = await Promise.all([
    import('@kindling/executor'),
    import('@kindling/vm'),
    import('@kindling/vmm-core'),
  ]);
  const installation = new VmmInstallation({
    firecrackerPath: setup.firecrackerPath,
    jailerPath: '/nonexistent',
    snapshotEditorPath: setup.snapshotEditorPath,
  });
  const vm = await Vm.prepare({
    executor: new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({ apiSocket: path.join(setup.runDir, `${id}.sock`), id }),
    }),
    installation,
    configuration: {
      bootSource,
      machineConfig: { vcpu_count: guest.vcpuCount, mem_size_mib: guest.memSizeMib },
    },
    shutdownActions: [{ method: 'kill' }],
  });
  await vm.start();
  return () => vm[Symbol.asyncDispose]();
};

const holdWithBaseline = async (id: string): Promise<Release> => {
  const { BaselineVm } = await import('../../../tooling/bench-baseline.ts');
  const vm = await BaselineVm.prepare({
    firecrackerPath: setup.firecrackerPath,
    id,
    socketPath: path.join(setup.runDir, `${id}.sock`),
  });
  try {
    await vm.spawn();
    await vm.waitReady();
    await vm.configure(guest);
    await vm.instanceStart();
  } catch (error) {
    await vm.abandon();
    throw error;
  }
  return async () => {
    await vm.kill();
    await vm.cleanup();
  };
};

const releases: Release[] = [];
try {
  for (let index = 0; index < count; index += 1) {
    const id = `${mode === 'kindling' ? 'k' : 'b'}${process.pid}-${index}`;
    releases.push(await (mode === 'kindling' ? holdWithKindling(id) : holdWithBaseline(id)));
  }
  const gc = globalThis.gc;
  if (gc === undefined) {
    throw new Error('hold-vms.ts needs node --expose-gc');
  }
  for (let pass = 0; pass < 3; pass += 1) {
    gc();
    await nextTurn();
  }
  process.stdout.write(
    `${JSON.stringify({
      rssKiB: process.memoryUsage.rss() / 1024,
      heapUsedKiB: process.memoryUsage().heapUsed / 1024,
      maxRssKiB: process.resourceUsage().maxRSS,
    })}\n`,
  );
} finally {
  for (const release of releases) {
    await release();
  }
}
