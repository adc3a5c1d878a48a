// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UnrestrictedExecutor } from '@kindling/executor';
import { testBackend, writeFakeKernel, type FakeSwitches } from '@kindling/fake-vmm';
import { FakeInstallationFolder, listLeftoverProcesses, TEST_WAIT_MS } from '@kindling/test-utils';
import { Vm } from '@kindling/vm';
import { VmmArguments } from '@kindling/vmm-core';

/** Whether this run drives a real Firecracker (KINDLING_FIRECRACKER), not the fake. */
export const isRealBackend = testBackend.kind === 'real';

/** The reason, in a test's title, that it is skipped on a real Firecracker. */
export const NEEDS_FAKE = '[fake only: needs a fake-vmm switch]';

/** A test folder with an installation (fake or real), a kernel and a small root drive. */
export interface MetricsVmFolder extends AsyncDisposable {
  readonly dir: string;
  /** A started VM whose metrics go to `metricsPath` (a FIFO when `fifo`). */
  startVm(
    name: string,
    options?: { readonly fifo?: boolean },
  ): Promise<{ vm: Vm; metricsPath: string }>;
}

export const createMetricsVmFolder = async (fake: FakeSwitches = {}): Promise<MetricsVmFolder> => {
  const folder = await FakeInstallationFolder.create({ prefix: 'kindling-metrics-vm-', fake });
  const kernel =
    testBackend.kind === 'real' && testBackend.kernelPath !== undefined
      ? testBackend.kernelPath
      : await writeFakeKernel(path.join(folder.dir, 'vmlinux'));
  const rootfs = path.join(folder.dir, 'rootfs.ext4');
  await writeFile(rootfs, Buffer.alloc(1024 * 1024));
  const vms: Vm[] = [];
  return {
    dir: folder.dir,
    startVm: async (name, options = {}) => {
      const metricsPath = path.join(folder.dir, `${name}.metrics`);
      const vm = await Vm.prepare({
        installation: folder.installation,
        executor: new UnrestrictedExecutor({
          vmmArguments: new VmmArguments({
            apiSocket: path.join(folder.dir, 'run', `${name}.sock`),
            id: name,
          }),
        }),
        configuration: {
          bootSource: { kernel_image_path: kernel, boot_args: 'console=ttyS0 reboot=k panic=1' },
          drives: [
            { drive_id: 'rootfs', is_root_device: true, is_read_only: true, path_on_host: rootfs },
          ],
          machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
          metrics: { metrics_path: metricsPath },
          fifos: { metrics: options.fifo ?? false },
        },
        socketWaitTimeoutMs: TEST_WAIT_MS,
      });
      vms.push(vm);
      await vm.start();
      return { vm, metricsPath };
    },
    // Every VM goes, and with it its Firecracker: a test that leaves one running fails.
    [Symbol.asyncDispose]: async () => {
      const pids = vms.flatMap((vm) => (vm.pid === undefined ? [] : [vm.pid]));
      for (const vm of vms) {
        await vm[Symbol.asyncDispose]();
      }
      await folder[Symbol.asyncDispose]();
      const running = await listLeftoverProcesses(pids);
      if (running.length > 0) {
        throw new Error(`Firecracker processes left running: ${running.join(', ')}`);
      }
    },
  };
};
