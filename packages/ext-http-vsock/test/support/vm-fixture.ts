// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// A small copy of packages/vm/test/support/vm-harness.ts: what these tests need of it.

import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  JailedExecutor,
  UnrestrictedExecutor,
  type ProcessHandleExit,
  type VmmExecutor,
} from '@kindling/executor';
import { testBackend, writeFakeKernel, type FakeSwitches } from '@kindling/fake-vmm';
import { FakeInstallationFolder, isRoot, TEST_WAIT_MS } from '@kindling/test-utils';
import { Vm, type VmConfiguration } from '@kindling/vm';
import { JailerArguments, VmmArguments, type OwnershipModel } from '@kindling/vmm-core';

/** Whether this run drives a real Firecracker (KINDLING_FIRECRACKER), not the fake. */
export const isRealBackend = testBackend.kind === 'real';

/** The reason, in a test's title, that it is skipped on a real Firecracker: it needs a guest. */
export const NEEDS_GUEST =
  '[fake only: needs a running guest, which a VMM-level real Firecracker cannot give]';

/** The fake guest's marker on the serial console once its services are up. */
export const BOOT_MARKER = 'kindling-fake-guest: ready';
/** The fake guest's HTTP/1.1 service (fake-vmm's README, "The simulated guest"). */
export const HTTP_PORT = 8000;

// The jail's user: `nobody` when root, so the ownership change is real; else our own ids.
const jailOwner = isRoot
  ? { uid: 65_534, gid: 65_534 }
  : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

/** One way to run Firecracker, for `describe.each`. */
export interface ExecutorSetup {
  readonly name: string;
  readonly tag: string;
  /** How the end of a process killed by SIGKILL looks. */
  readonly killedExit: ProcessHandleExit;
  create(
    dir: string,
    id: string,
    firecrackerPath: string,
  ): { executor: VmmExecutor; ownership: OwnershipModel };
}

/** Firecracker run directly, as this user. */
export const unrestricted: ExecutorSetup = {
  name: 'unrestricted',
  tag: 'u',
  killedExit: { kind: 'signaled', signal: 'SIGKILL' },
  create: (dir, id) => ({
    executor: new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({ apiSocket: path.join(dir, 'run', `${id}.sock`), id }),
    }),
    ownership: { kind: 'shared' },
  }),
};

/** Firecracker under the jailer: daemonized, in a new pid namespace, as `nobody` when root. */
export const jailed: ExecutorSetup = {
  name: 'jailed (daemonize, new pid ns)',
  tag: 'j',
  // A detached process is not our child: how it ended cannot be seen.
  killedExit: { kind: 'unknown' },
  create: (dir, id, firecrackerPath) => ({
    executor: new JailedExecutor({
      vmmArguments: new VmmArguments({}),
      jailerArguments: new JailerArguments({
        id,
        execFile: firecrackerPath,
        ...jailOwner,
        chrootBaseDir: path.join(dir, 'jail'),
        daemonize: true,
        newPidNs: true,
      }),
    }),
    ownership: isRoot ? { kind: 'downgraded', ...jailOwner } : { kind: 'shared' },
  }),
};

/** Both setups, for `describe.each`. */
export const SETUPS: readonly ExecutorSetup[] = [unrestricted, jailed];

/** A temporary folder with a fake installation and a kernel; VMs it prepares go with it. */
export class VmFixture implements AsyncDisposable {
  readonly #folder: FakeInstallationFolder;
  readonly #kernelPath: string;
  readonly #vms: Vm[] = [];
  #counter = 0;

  private constructor(folder: FakeInstallationFolder, kernelPath: string) {
    this.#folder = folder;
    this.#kernelPath = kernelPath;
  }

  /** Makes the folder; `fake` switches apply to every process it starts. */
  static async create(fake: FakeSwitches = {}): Promise<VmFixture> {
    // The fake jailer cannot chroot(2): a jail's dropped uid must be able to walk down to it.
    const folder = await FakeInstallationFolder.create({
      prefix: 'kindling-http-vsock-',
      fake,
      mode: 0o755,
    });
    const kernelPath = path.join(folder.dir, 'images', 'vmlinux');
    await mkdir(path.dirname(kernelPath), { recursive: true });
    await writeFakeKernel(kernelPath);
    return new VmFixture(folder, kernelPath);
  }

  /** The executor and ownership model of a VM with this id. */
  executorFor(setup: ExecutorSetup, id: string): ReturnType<ExecutorSetup['create']> {
    return setup.create(this.#folder.dir, id, this.#folder.installation.firecrackerPath);
  }

  /** A fresh path under the folder (not created). */
  pathFor(name: string): string {
    return path.join(this.#folder.dir, name);
  }

  /** A configuration with a vsock device whose socket is in a short folder of its own. */
  configuration(name: string): VmConfiguration {
    return {
      bootSource: { kernel_image_path: this.#kernelPath, boot_args: 'console=ttyS0 reboot=k' },
      machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
      vsock: { guest_cid: 3, uds_path: this.pathFor(`${name}/v.sock`) },
      serial: { serial_out_path: this.pathFor(`${name}/serial`) },
    };
  }

  /** Prepares, starts and waits for the guest's services: a running VM with HTTP on port 8000. */
  async startVm(setup: ExecutorSetup, name = `${setup.tag}${this.#counter + 1}`): Promise<Vm> {
    this.#counter += 1;
    const id = `hv${this.#counter}-${randomUUID().slice(0, 8)}`;
    const { executor, ownership } = this.executorFor(setup, id);
    const vm = this.track(
      await Vm.prepare({
        executor,
        ownership,
        installation: this.#folder.installation,
        configuration: this.configuration(name),
        stateDir: false,
        shutdownActions: [{ method: 'kill' }],
        socketWaitTimeoutMs: TEST_WAIT_MS,
      }),
    );
    await vm.start();
    await vm.waitForSerialLine(BOOT_MARKER, { timeoutMs: TEST_WAIT_MS });
    return vm;
  }

  /** Records a VM (a restored one) so that disposal disposes of it. */
  track(vm: Vm): Vm {
    this.#vms.push(vm);
    return vm;
  }

  /** Disposes of every VM, then removes the folder. */
  async [Symbol.asyncDispose](): Promise<void> {
    const results = await Promise.allSettled(this.#vms.map((vm) => vm[Symbol.asyncDispose]()));
    await this.#folder[Symbol.asyncDispose]();
    const failures = results.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as unknown] : [],
    );
    if (failures.length > 0) {
      throw new AggregateError(failures, 'Some VMs could not be disposed of');
    }
  }
}
