// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { UnrestrictedExecutor } from '@kindling/executor';
import { testBackend, writeFakeKernel } from '@kindling/fake-vmm';
import { FakeInstallationFolder, TEST_WAIT_MS } from '@kindling/test-utils';
import { Vm, type ApiVmConfiguration } from '@kindling/vm';
import { VmmArguments } from '@kindling/vmm-core';

/** A folder with the backend's installation (the fakes, or KINDLING_FIRECRACKER's binaries). */
export interface SnapshotHarness extends AsyncDisposable {
  readonly folder: FakeInstallationFolder;
  /** A path under the folder (not created). */
  pathFor(name: string): string;
  /** A VM with dirty-page tracking, prepared and started; disposed of with the harness. */
  startVm(): Promise<Vm>;
  /** Restores a snapshot into a new VM (prepared and started); disposed of with the harness. */
  restore(snapshot: Parameters<typeof Vm.restore>[0]): Promise<Vm>;
}

const executorIn = (dir: string): UnrestrictedExecutor =>
  new UnrestrictedExecutor({
    vmmArguments: new VmmArguments({
      apiSocket: path.join(dir, 'run', `${randomUUID().slice(0, 8)}.sock`),
    }),
  });

/** Makes a harness in a fresh temporary folder. */
export const createSnapshotHarness = async (): Promise<SnapshotHarness> => {
  const folder = await FakeInstallationFolder.create({ prefix: 'kindling-snapedit-' });
  const pathFor = (name: string): string => path.join(folder.dir, name);
  // A real Firecracker loads a real kernel, with the initrd so the guest runs until the snapshot.
  const real = testBackend.kind === 'real' ? testBackend : undefined;
  const kernelPath = real?.kernelPath ?? (await writeFakeKernel(pathFor('vmlinux')));
  const configuration: ApiVmConfiguration = {
    bootSource: {
      kernel_image_path: kernelPath,
      boot_args: 'console=ttyS0 reboot=k panic=1',
      ...(real?.initrdPath === undefined ? {} : { initrd_path: real.initrdPath }),
    },
    machineConfig: { vcpu_count: 1, mem_size_mib: 128, track_dirty_pages: true },
  };
  const vms: Vm[] = [];
  const common = {
    stateDir: false,
    shutdownActions: [{ method: 'kill' }],
    socketWaitTimeoutMs: TEST_WAIT_MS,
  } as const;
  const dispose = async (): Promise<void> => {
    await Promise.allSettled(vms.map((vm) => vm[Symbol.asyncDispose]()));
    await folder[Symbol.asyncDispose]();
  };
  return {
    folder,
    pathFor,
    startVm: async () => {
      const vm = await Vm.prepare({
        executor: executorIn(folder.dir),
        installation: folder.installation,
        configuration,
        ...common,
      });
      vms.push(vm);
      await vm.start();
      return vm;
    },
    restore: async (snapshot) => {
      const vm = await Vm.restore(snapshot, {
        executor: executorIn(folder.dir),
        resume: true,
        ...common,
      });
      vms.push(vm);
      await vm.start();
      return vm;
    },
    [Symbol.asyncDispose]: dispose,
  };
};
