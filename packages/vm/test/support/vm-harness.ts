// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomUUID } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  JailedExecutor,
  UnrestrictedExecutor,
  type ProcessHandleExit,
  type VmmExecutor,
} from '@kindling/executor';
import { writeFakeKernel, type FakeSwitches } from '@kindling/fake-vmm';
import { FakeInstallationFolder, isRoot } from '@kindling/test-utils';
import {
  JailerArguments,
  VmmArguments,
  type OwnershipModel,
  type VmmArgumentsOptions,
  type VmmInstallation,
} from '@kindling/vmm-core';
import {
  Vm,
  type ApiVmConfiguration,
  type VmConfiguration,
  type VmPrepareOptions,
} from '../../src/index.js';

export { isRoot };

/** The jail's user: `nobody` when root, so the ownership change is real; else our own ids. */
const jailOwner = isRoot
  ? { uid: 65_534, gid: 65_534 }
  : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

/** One way to run Firecracker, for `describe.each`, with what tests expect of it. */
export interface ExecutorSetup {
  readonly name: string;
  readonly jailed: boolean;
  /** A short tag for names of files and folders. */
  readonly tag: string;
  /** The path Firecracker is given for a moved host file: itself, or its flat name in the jail. */
  seenPath(hostPath: string): string;
  /** How the end of a process ended by SIGKILL looks. */
  readonly killedExit: ProcessHandleExit;
  /** How the clean end of a process (exit code 0) looks. */
  readonly cleanExit: ProcessHandleExit;
  /** Where a VM's files live: its jail, or the folder its configuration names (`folder`). */
  filesOf(vm: Vm, folder: string): string;
  /** Makes the executor and ownership model of a VM with this id (and extra Firecracker flags). */
  create(
    harness: VmHarness,
    id: string,
    flags?: VmmArgumentsOptions,
  ): { executor: VmmExecutor; ownership: OwnershipModel };
}

/** Firecracker run directly, as this user. */
export const unrestricted: ExecutorSetup = {
  name: 'unrestricted',
  jailed: false,
  tag: 'u',
  seenPath: (hostPath) => hostPath,
  killedExit: { kind: 'signaled', signal: 'SIGKILL' },
  cleanExit: { kind: 'exited', code: 0 },
  filesOf: (_vm, folder) => folder,
  create: (harness, id, flags = {}) => ({
    executor: new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({
        apiSocket: path.join(harness.dir, 'run', `${id}.sock`),
        id,
        enablePci: true,
        ...flags,
      }),
    }),
    ownership: { kind: 'shared' },
  }),
};

/** Firecracker under the jailer: daemonized, in a new pid namespace, as another user. */
export const jailed: ExecutorSetup = {
  name: 'jailed (daemonize, new pid ns, downgraded)',
  jailed: true,
  tag: 'j',
  seenPath: (hostPath) => `/${path.basename(hostPath)}`,
  // A detached process is not our child: how it ended cannot be seen.
  killedExit: { kind: 'unknown' },
  cleanExit: { kind: 'unknown' },
  // The API socket is <jail>/root/run/firecracker.socket.
  filesOf: (vm) => path.resolve(vm.socketPath ?? '/', '../../..'),
  create: (harness, id, flags = {}) => ({
    executor: new JailedExecutor({
      vmmArguments: new VmmArguments({ enablePci: true, ...flags }),
      jailerArguments: new JailerArguments({
        id,
        execFile: harness.installation.firecrackerPath,
        ...jailOwner,
        chrootBaseDir: path.join(harness.dir, 'jail'),
        daemonize: true,
        newPidNs: true,
      }),
    }),
    ownership: isRoot ? { kind: 'downgraded', ...jailOwner } : { kind: 'shared' },
  }),
};

/** Both setups, for `describe.each`. */
export const SETUPS: readonly ExecutorSetup[] = [unrestricted, jailed];

/** A temporary folder with a fake installation, a kernel and a root drive. */
export interface VmHarness {
  readonly dir: string;
  readonly installation: VmmInstallation;
  readonly kernelPath: string;
  readonly rootfsPath: string;
  /** A new unique VM id. */
  nextId(): string;
  /** A fresh path under the harness folder (not created). */
  pathFor(name: string): string;
  /** Writes a user file under the folder and returns its path. */
  writeUserFile(relativePath: string, content?: string): Promise<string>;
  /** Prepares a VM with a setup; the harness disposes of it at the end. */
  prepare(
    setup: ExecutorSetup,
    configuration: VmConfiguration,
    options?: Partial<VmPrepareOptions>,
  ): Promise<Vm>;
  /** Records a VM so that `dispose` disposes of it if the test did not. */
  track(vm: Vm): Vm;
  /** Disposes of the VMs left, and removes the folder. */
  dispose(): Promise<void>;
  /** The same as `dispose`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** A configuration that boots the harness's kernel from its root drive. */
export const basicConfiguration = (harness: VmHarness): ApiVmConfiguration => ({
  bootSource: {
    kernel_image_path: harness.kernelPath,
    boot_args: 'console=ttyS0 reboot=k panic=1',
  },
  // Read-only: VMs side by side share the file, hard-linked into their jails.
  drives: [
    {
      drive_id: 'rootfs',
      is_root_device: true,
      is_read_only: true,
      path_on_host: harness.rootfsPath,
    },
  ],
  machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
});

/** Makes a harness in a fresh folder; `fake` switches apply to every process it starts. */
export const createVmHarness = async (fake: FakeSwitches = {}): Promise<VmHarness> => {
  // The fake jailer cannot chroot(2): a jail's dropped uid must be able to walk down to it.
  const folder = await FakeInstallationFolder.create({ prefix: 'kindling-vm-', fake, mode: 0o755 });
  const { dir, installation } = folder;
  const writeUserFile = async (relativePath: string, content = relativePath): Promise<string> => {
    const target = path.join(dir, relativePath);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    return target;
  };
  const kernelPath = await writeUserFile('images/vmlinux');
  await writeFakeKernel(kernelPath);
  const rootfsPath = await writeUserFile('images/rootfs.ext4', 'rootfs');
  const vms: Vm[] = [];
  const dispose = async (): Promise<void> => {
    const results = await Promise.allSettled(vms.map((vm) => vm[Symbol.asyncDispose]()));
    await folder[Symbol.asyncDispose]();
    const failures = results.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as unknown] : [],
    );
    if (failures.length > 0) {
      throw new AggregateError(failures, 'Some VMs could not be disposed of');
    }
  };
  let counter = 0;
  const harness: VmHarness = {
    dir,
    installation,
    kernelPath,
    rootfsPath,
    nextId: () => {
      counter += 1;
      return `vm${counter}-${randomUUID().slice(0, 8)}`;
    },
    pathFor: (name) => path.join(dir, name),
    writeUserFile,
    prepare: async (setup, configuration, options = {}) => {
      const { executor, ownership } = setup.create(harness, harness.nextId());
      const vm = await Vm.prepare({
        executor,
        ownership,
        installation,
        configuration,
        stateDir: false,
        shutdownActions: [{ method: 'ctrl-alt-del', timeoutMs: 2_000 }, { method: 'kill' }],
        ...options,
      });
      vms.push(vm);
      return vm;
    },
    track: (vm) => {
      vms.push(vm);
      return vm;
    },
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
  return harness;
};

/** The value, which the test expects to be there. */
export const defined = <Value>(value: Value | null | undefined, what = 'a value'): Value => {
  if (value === undefined || value === null) {
    throw new Error(`expected ${what}, got ${String(value)}`);
  }
  return value;
};

/** Every file under `root` that is not a folder, relative to it and sorted; `[]` when it is gone. */
export const listFiles = async (root: string): Promise<string[]> => {
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => !entry.isDirectory())
      .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
      .toSorted();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
};
