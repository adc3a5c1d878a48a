// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { writeFakeKernel, type FakeSwitches } from '@kindling/fake-vmm';
import { FakeInstallationFolder, TEST_WAIT_MS } from '@kindling/test-utils';
import {
  Vm,
  type ApiVmConfiguration,
  type VmPrepareOptions,
  type VmRestoreOptions,
  type VmSnapshot,
} from '@kindling/vm';
import type { VmmInstallation } from '@kindling/vmm-core';
import type { ExecutorSetup } from './executor-setups.js';
import { BOOT_MARKER } from './fake-guest.js';

export interface VmTestHarnessOptions {
  /** The temporary folder's name prefix, after `kindling-`: says which tests left it. */
  readonly label?: string;
  /** fake-vmm switches for every process the harness starts. */
  readonly fake?: FakeSwitches;
  /** A guest to boot instead of the fake kernel (a real Firecracker needs one). */
  readonly guest?: HarnessGuest;
}

/** A bootable guest: its kernel, initrd, boot arguments, memory and ready marker. */
export interface HarnessGuest {
  readonly kernelPath: string;
  readonly initrdPath?: string;
  /** Appended to `console=ttyS0 reboot=k panic=1`. */
  readonly extraBootArgs?: string;
  readonly memSizeMib?: number;
  /** The serial line that says its services are up. */
  readonly marker: string;
}

/** A fake installation and a kernel in a temporary folder; VMs made here are disposed with it. */
export interface VmTestHarness extends AsyncDisposable {
  readonly dir: string;
  readonly installation: VmmInstallation;
  /** A configuration whose guest boots to its marker, with a vsock device in folder `name`. */
  configuration(name: string): ApiVmConfiguration;
  /** Prepares a VM; the harness disposes of it at the end. */
  prepare(
    setup: ExecutorSetup,
    configuration: ApiVmConfiguration,
    options?: Partial<VmPrepareOptions>,
  ): Promise<Vm>;
  /** Prepares, starts and waits for the guest's services, in a folder of its own. */
  boot(setup: ExecutorSetup, name?: string): Promise<Vm>;
  /** Restores a snapshot into a new VM with a vsock socket in folder `name`, and starts it. */
  restore(
    setup: ExecutorSetup,
    snapshot: VmSnapshot,
    name: string,
    options?: Partial<VmRestoreOptions>,
  ): Promise<Vm>;
  /** A fresh path under the harness folder (not created). */
  pathFor(name: string): string;
  /** The serial line of a booted guest whose services are up. */
  readonly marker: string;
}

export const createVmTestHarness = async (
  options: VmTestHarnessOptions = {},
): Promise<VmTestHarness> => {
  // The fake jailer cannot chroot(2): a jail's dropped uid must be able to walk down to it.
  const folder = await FakeInstallationFolder.create({
    prefix: `kindling-${options.label ?? 'test-vm'}-`,
    fake: options.fake ?? {},
    mode: 0o755,
  });
  const { dir, installation } = folder;
  const guest = options.guest;
  const kernelPath = guest?.kernelPath ?? (await writeFakeKernel(path.join(dir, 'vmlinux')));
  const marker = guest?.marker ?? BOOT_MARKER;
  const bootArgs = `console=ttyS0 reboot=k panic=1${guest?.extraBootArgs === undefined ? '' : ` ${guest.extraBootArgs}`}`;
  const vms: Vm[] = [];
  let counter = 0;
  // Short and unique: a jail's id, and the API socket's name, must stay short.
  const nextId = (setup: ExecutorSetup): string => {
    counter += 1;
    return `${setup.tag}${counter}-${randomUUID().slice(0, 8)}`;
  };
  const pathFor = (name: string): string => path.join(dir, name);
  const configuration = (name: string): ApiVmConfiguration => ({
    bootSource: {
      kernel_image_path: kernelPath,
      boot_args: bootArgs,
      ...(guest?.initrdPath === undefined ? {} : { initrd_path: guest.initrdPath }),
    },
    machineConfig: { vcpu_count: 1, mem_size_mib: guest?.memSizeMib ?? 128 },
    // In a folder of its own, short enough for a socket address.
    vsock: { guest_cid: 3, uds_path: pathFor(`${name}/v.sock`) },
    // A file: a daemonized jailer's Firecracker has no stdout of ours.
    serial: { serial_out_path: pathFor(`${name}/serial`) },
  });
  const prepare: VmTestHarness['prepare'] = async (setup, config, prepareOptions = {}) => {
    const { executor, ownership } = setup.create(dir, installation, nextId(setup));
    const vm = await Vm.prepare({
      executor,
      ownership,
      installation,
      configuration: config,
      stateDir: false,
      shutdownActions: [{ method: 'kill' }],
      socketWaitTimeoutMs: TEST_WAIT_MS,
      ...prepareOptions,
    });
    vms.push(vm);
    return vm;
  };
  return {
    dir,
    installation,
    configuration,
    prepare,
    boot: async (setup, name) => {
      // The counter keeps two boots of one name (or of no name) apart.
      const folderName = `${setup.tag}${counter + 1}${name === undefined ? '' : `-${name}`}`;
      const vm = await prepare(setup, configuration(folderName));
      await vm.start();
      await vm.waitForSerialLine(marker, { timeoutMs: TEST_WAIT_MS });
      return vm;
    },
    restore: async (setup, snapshot, name, restoreOptions = {}) => {
      const { executor, ownership } = setup.create(dir, installation, nextId(setup));
      const vm = await Vm.restore(snapshot, {
        executor,
        ownership,
        stateDir: false,
        resume: true,
        vsockOverride: { uds_path: pathFor(`${name}/v.sock`) },
        socketWaitTimeoutMs: TEST_WAIT_MS,
        ...restoreOptions,
      });
      vms.push(vm);
      await vm.start();
      return vm;
    },
    pathFor,
    marker,
    [Symbol.asyncDispose]: async () => {
      const results = await Promise.allSettled(vms.map((vm) => vm[Symbol.asyncDispose]()));
      await folder[Symbol.asyncDispose]();
      const failures = results.flatMap((result) =>
        result.status === 'rejected' ? [result.reason as unknown] : [],
      );
      if (failures.length > 0) {
        throw new AggregateError(failures, 'Some VMs could not be disposed of');
      }
    },
  };
};
