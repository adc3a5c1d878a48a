// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createClient, type Client } from '@connectrpc/connect';
import { JailedExecutor, UnrestrictedExecutor, type VmmExecutor } from '@kindling/executor';
import { testBackend, writeFakeKernel, type FakeSwitches } from '@kindling/fake-vmm';
import { FakeInstallationFolder, isRoot, TEST_WAIT_MS } from '@kindling/test-utils';
import { Vm, type ApiVmConfiguration, type VmPrepareOptions, type VmSnapshot } from '@kindling/vm';
import {
  JailerArguments,
  VmmArguments,
  type OwnershipModel,
  type VmmInstallation,
} from '@kindling/vmm-core';
import { GuestAgent } from './guest_pb.js';

/** Whether this run drives a real Firecracker (KINDLING_FIRECRACKER), not the fake. */
export const isRealBackend = testBackend.kind === 'real';

/** The reason, in a test's title, that it is skipped on a real Firecracker: it needs a guest. */
export const NEEDS_GUEST =
  '[fake only: needs a running guest, which a VMM-level real Firecracker cannot give]';

/** The fake guest's marker once its services are up, and its gRPC port (fake-vmm's README). */
export const BOOT_MARKER = 'kindling-fake-guest: ready';
export const GRPC_PORT = 9000;
/** A port where the fake guest serves plain echo, and one where nothing listens. */
export const ECHO_PORT = 5000;
export const CLOSED_PORT = 9999;

/** The fake guest's gRPC client. */
export type GuestAgentClient = Client<typeof GuestAgent>;
export const guestAgent = (transport: Parameters<typeof createClient>[1]): GuestAgentClient =>
  createClient(GuestAgent, transport);

// The jail's user: `nobody` when root, so the ownership change is real; else our own ids.
const jailOwner = isRoot
  ? { uid: 65_534, gid: 65_534 }
  : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

/** One way to run Firecracker, for `describe.each`. */
export interface ExecutorSetup {
  readonly name: string;
  readonly tag: string;
  create(
    dir: string,
    installation: VmmInstallation,
    id: string,
  ): { executor: VmmExecutor; ownership: OwnershipModel };
}

export const unrestricted: ExecutorSetup = {
  name: 'unrestricted',
  tag: 'u',
  create: (dir, _installation, id) => ({
    executor: new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({ apiSocket: path.join(dir, 'run', `${id}.sock`), id }),
    }),
    ownership: { kind: 'shared' },
  }),
};

export const jailed: ExecutorSetup = {
  name: 'jailed (daemonize, new pid ns, downgraded)',
  tag: 'j',
  create: (dir, installation, id) => ({
    executor: new JailedExecutor({
      vmmArguments: new VmmArguments({}),
      jailerArguments: new JailerArguments({
        id,
        execFile: installation.firecrackerPath,
        ...jailOwner,
        chrootBaseDir: path.join(dir, 'jail'),
        daemonize: true,
        newPidNs: true,
      }),
    }),
    ownership: isRoot ? { kind: 'downgraded', ...jailOwner } : { kind: 'shared' },
  }),
};

export const SETUPS: readonly ExecutorSetup[] = [unrestricted, jailed];

/** A fake installation and a kernel in a temporary folder; VMs made here are disposed with it. */
export interface GuestHarness extends AsyncDisposable {
  readonly dir: string;
  readonly installation: VmmInstallation;
  /** A configuration whose guest boots to its marker with a vsock device at a fresh path. */
  configuration(name: string): ApiVmConfiguration;
  /** Prepares a VM; the harness disposes of it at the end. */
  prepare(
    setup: ExecutorSetup,
    configuration: ApiVmConfiguration,
    options?: Partial<VmPrepareOptions>,
  ): Promise<Vm>;
  /** Prepares, starts and waits for the guest's services. */
  boot(setup: ExecutorSetup, name: string): Promise<Vm>;
  /** Restores a snapshot into a new VM with a vsock socket of its own, and starts it. */
  restore(setup: ExecutorSetup, snapshot: VmSnapshot, name: string): Promise<Vm>;
  /** A fresh path under the harness folder (not created). */
  pathFor(name: string): string;
}

export const createGuestHarness = async (fake: FakeSwitches = {}): Promise<GuestHarness> => {
  // The fake jailer cannot chroot(2): a jail's dropped uid must be able to walk down to it.
  const folder = await FakeInstallationFolder.create({
    prefix: 'kindling-grpc-',
    fake,
    mode: 0o755,
  });
  const { dir, installation } = folder;
  const kernelPath = await writeFakeKernel(path.join(dir, 'vmlinux'));
  const vms: Vm[] = [];
  const configuration = (name: string): ApiVmConfiguration => ({
    bootSource: { kernel_image_path: kernelPath, boot_args: 'console=ttyS0 reboot=k panic=1' },
    machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
    // In a folder of its own, short enough for a socket address.
    vsock: { guest_cid: 3, uds_path: path.join(dir, name, 'v.sock') },
    // A file: a daemonized jailer's Firecracker has no stdout of ours.
    serial: { serial_out_path: path.join(dir, name, 'serial') },
  });
  const prepare: GuestHarness['prepare'] = async (setup, config, options = {}) => {
    const id = `g${setup.tag}-${randomUUID().slice(0, 8)}`;
    const { executor, ownership } = setup.create(dir, installation, id);
    const vm = await Vm.prepare({
      executor,
      ownership,
      installation,
      configuration: config,
      stateDir: false,
      shutdownActions: [{ method: 'kill' }],
      socketWaitTimeoutMs: TEST_WAIT_MS,
      ...options,
    });
    vms.push(vm);
    return vm;
  };
  let counter = 0;
  return {
    dir,
    installation,
    configuration,
    prepare,
    boot: async (setup, name) => {
      counter += 1;
      const vm = await prepare(setup, configuration(`${setup.tag}${counter}-${name}`));
      await vm.start();
      await vm.waitForSerialLine(BOOT_MARKER, { timeoutMs: TEST_WAIT_MS });
      return vm;
    },
    restore: async (setup, snapshot, name) => {
      const id = `r${setup.tag}-${randomUUID().slice(0, 8)}`;
      const { executor, ownership } = setup.create(dir, installation, id);
      const vm = await Vm.restore(snapshot, {
        executor,
        ownership,
        stateDir: false,
        resume: true,
        vsockOverride: { uds_path: path.join(dir, name, 'v.sock') },
        socketWaitTimeoutMs: TEST_WAIT_MS,
      });
      vms.push(vm);
      await vm.start();
      return vm;
    },
    pathFor: (name) => path.join(dir, name),
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
