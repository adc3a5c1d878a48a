// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  JailedExecutor,
  UnrestrictedExecutor,
  type ProcessHandleExit,
  type VmmExecutor,
} from '@kindling/executor';
import { testBackend, writeFakeKernel, type FakeSwitches } from '@kindling/fake-vmm';
import {
  CGROUP_ROOT_SET_UP,
  FakeInstallationFolder,
  isRoot,
  listLeftoverFiles,
  TEST_WAIT_MS,
  testCgroupRoot,
  testCgroups,
} from '@kindling/test-utils';
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

const execFileAsync = promisify(execFile);

/** Whether this run drives a real Firecracker (KINDLING_FIRECRACKER), not the fake. */
export const isRealBackend = testBackend.kind === 'real';

/** The reason, in a test's title, that it is skipped on a real Firecracker: it needs a guest. */
export const NEEDS_GUEST =
  '[fake only: needs a running guest, which a VMM-level real Firecracker cannot give]';

/** The reason, in a test's title, that it is skipped on a real Firecracker: a fault switch. */
export const NEEDS_FAULT = '[fake only: needs a fake-vmm fault switch]';

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
  /** How a failed start says the SIGKILL Kindling sent ended the process. */
  readonly killedWords: string;
  /** How the end of a process that aborted by itself looks, and how a failed start says it. */
  readonly abortedExit: ProcessHandleExit;
  readonly abortedWords: string;
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
  killedWords: 'the Firecracker process was killed (SIGKILL)',
  abortedExit: { kind: 'signaled', signal: 'SIGABRT' },
  abortedWords: 'Firecracker ended by itself on SIGABRT',
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

/**
 * Firecracker under the jailer: daemonized, in a new pid namespace, as `owner` (the jailer's
 * `--uid`/`--gid`), which is another user than ours when root: the `downgraded` model.
 */
export const jailedAs = (owner: { readonly uid: number; readonly gid: number }): ExecutorSetup => ({
  name: 'jailed (daemonize, new pid ns, downgraded)',
  jailed: true,
  tag: 'j',
  seenPath: (hostPath) => `/${path.basename(hostPath)}`,
  // A detached process is not our child: how it ended cannot be seen.
  killedExit: { kind: 'unknown' },
  cleanExit: { kind: 'unknown' },
  killedWords:
    'Firecracker was sent SIGKILL and has ended (the exit status of a detached process cannot be seen)',
  abortedExit: { kind: 'unknown' },
  abortedWords:
    'Firecracker ended by itself (the exit status of a detached process cannot be seen)',
  // The API socket is <jail>/root/run/firecracker.socket.
  filesOf: (vm) => path.resolve(vm.socketPath ?? '/', '../../..'),
  create: (harness, id, flags = {}) => ({
    executor: new JailedExecutor({
      vmmArguments: new VmmArguments({ enablePci: true, ...flags }),
      jailerArguments: new JailerArguments({
        id,
        execFile: harness.installation.firecrackerPath,
        ...owner,
        chrootBaseDir: path.join(harness.dir, 'jail'),
        daemonize: true,
        newPidNs: true,
        // A cgroup of its own, so that "nothing left" covers cgroups too.
        ...testCgroups(),
      }),
      ...testCgroupRoot(harness.dir),
      // The jailer's pid file, like the socket, may take long on a loaded CI host.
      pidFileTimeoutMs: TEST_WAIT_MS,
    }),
    ownership: isRoot ? { kind: 'downgraded', ...owner } : { kind: 'shared' },
  }),
});

/** Firecracker under the jailer, as `nobody` when root. */
export const jailed: ExecutorSetup = jailedAs(jailOwner);

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
  /**
   * A TAP device name for a network interface: `label` itself on the fake; on a real Firecracker,
   * a TAP of its own made for the jail's user (two VMs cannot share one), removed by `dispose`.
   */
  tap(label: string): string;
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
  /**
   * What VMs left in the folder: every file, socket, FIFO and folder besides the installation,
   * the images and the (empty) `state`, `run`, `jail` and `cgroup` folders.
   */
  leftovers(): Promise<string[]>;
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

// What the harness itself puts in its folder: the installation, the images, the empty folders.
const SET_UP = new RegExp(
  String.raw`^(bin|images|state|run|jail|cgroup)$|^(bin|images)/|${CGROUP_ROOT_SET_UP}`,
  'u',
);

// Enough for the VMs of the busiest test file, each with one or two interfaces.
const TAP_POOL_SIZE = 48;

const runIp = async (args: readonly string[]): Promise<void> => {
  await execFileAsync('ip', args);
};

// Persistent TAPs for a real Firecracker: made by root for the jail's user, so that a jailed
// Firecracker that dropped to it can open them. Names stay under IFNAMSIZ (15 characters).
const createTaps = async (count: number): Promise<string[]> => {
  const prefix = `kt${randomUUID().slice(0, 6)}`;
  const names = Array.from({ length: count }, (_, index) => `${prefix}${index}`);
  await Promise.all(
    names.map((name) =>
      runIp(['tuntap', 'add', 'name', name, 'mode', 'tap', 'user', String(jailOwner.uid)]),
    ),
  );
  return names;
};

const removeTaps = async (names: readonly string[]): Promise<void> => {
  await Promise.all(names.map((name) => runIp(['tuntap', 'del', 'name', name, 'mode', 'tap'])));
};

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
  // A real Firecracker loads only a real guest kernel (KINDLING_KERNEL); the fake, an ELF header.
  const kernelPath =
    testBackend.kind === 'real' && testBackend.kernelPath !== undefined
      ? testBackend.kernelPath
      : await writeFakeKernel(await writeUserFile('images/vmlinux'));
  const rootfsPath = await writeUserFile('images/rootfs.ext4', 'rootfs');
  const taps = testBackend.kind === 'real' ? await createTaps(TAP_POOL_SIZE) : [];
  const tapsLeft = [...taps];
  const vms: Vm[] = [];
  const dispose = async (): Promise<void> => {
    const results = await Promise.allSettled(vms.map((vm) => vm[Symbol.asyncDispose]()));
    await folder[Symbol.asyncDispose]();
    await removeTaps(taps);
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
    tap: (label) => {
      if (testBackend.kind === 'fake') {
        return label;
      }
      const name = tapsLeft.shift();
      if (name === undefined) {
        throw new Error(
          `all ${TAP_POOL_SIZE} TAP devices of this harness are in use: raise TAP_POOL_SIZE`,
        );
      }
      return name;
    },
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
        // The SDK's 5 s default is for a machine at rest; tests run beside other packages' tests.
        socketWaitTimeoutMs: TEST_WAIT_MS,
        ...options,
      });
      vms.push(vm);
      return vm;
    },
    track: (vm) => {
      vms.push(vm);
      return vm;
    },
    leftovers: () => listLeftoverFiles(dir, SET_UP),
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
