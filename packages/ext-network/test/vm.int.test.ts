// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { JailedExecutor, UnrestrictedExecutor, type VmmExecutor } from '@kindling/executor';
import { createVmNetwork, type VmNetwork } from '@kindling/ext-network';
import { isRealBackend, writeFakeKernel } from '@kindling/fake-vmm';
import {
  catchError,
  createTempFolder,
  FakeInstallationFolder,
  TEST_WAIT_MS,
} from '@kindling/test-utils';
import { Vm, type ApiVmConfiguration, type VmSnapshot } from '@kindling/vm';
import {
  JailerArguments,
  VmmArguments,
  type OwnershipModel,
  type VmmInstallation,
} from '@kindling/vmm-core';
import { describe, expect, it } from 'vitest';
import {
  canManageNetwork,
  linkExists,
  namespaceOf,
  NET_ADMIN_NOTE,
  readHostView,
} from './support/host-view.js';

const execFileAsync = promisify(execFile);
const REAL_ONLY =
  '[real Firecracker only: the fake cannot see that a TAP is held by another process (no ioctl)]';

interface NetworkInterfaceView {
  readonly iface_id: string;
  readonly host_dev_name: string;
  readonly guest_mac: string | null;
}

interface PrepareOptions {
  /** Restore a snapshot of this running VM instead of booting a new one. */
  readonly restoreFrom?: Vm;
  /** Name another host device than the network's TAP. */
  readonly hostDevName?: string;
  /** Run under the jailer as this user (daemonized, in a new pid namespace). */
  readonly jailUser?: { readonly uid: number; readonly gid: number };
}

const executorFor = (
  dir: string,
  installation: VmmInstallation,
  network: VmNetwork,
  count: number,
  jailUser: PrepareOptions['jailUser'],
): { executor: VmmExecutor; ownership: OwnershipModel } =>
  jailUser === undefined
    ? {
        executor: new UnrestrictedExecutor({
          vmmArguments: new VmmArguments({ apiSocket: path.join(dir, 'run', `${count}.sock`) }),
          commandModifiers: network.commandModifiers,
        }),
        ownership: { kind: 'shared' },
      }
    : {
        executor: new JailedExecutor({
          vmmArguments: new VmmArguments({}),
          jailerArguments: new JailerArguments({
            id: `net-${network.plan.token}`,
            execFile: installation.firecrackerPath,
            ...jailUser,
            chrootBaseDir: path.join(dir, 'jail'),
            daemonize: true,
            newPidNs: true,
            ...(network.netnsPath === undefined ? {} : { netns: network.netnsPath }),
          }),
        }),
        ownership: { kind: 'downgraded', ...jailUser },
      };

/** A fake (or real) installation and a kernel; the VMs prepared go with it. */
const createFixture = async () => {
  const stack = new AsyncDisposableStack();
  // Searchable by a jail's dropped uid, which the fake jailer (no chroot) needs.
  const folder = stack.use(
    await FakeInstallationFolder.create({ prefix: 'kindling-network-vm-', mode: 0o755 }),
  );
  const kernel = await writeFakeKernel(path.join(folder.dir, 'vmlinux'));
  let count = 0;
  const configuration: ApiVmConfiguration = {
    bootSource: { kernel_image_path: kernel, boot_args: 'console=ttyS0 reboot=k panic=1' },
    machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
  };
  const snapshotOf = async (source: Vm): Promise<VmSnapshot> => {
    await source.pause();
    const snapshot = await source.createSnapshot({
      snapshotPath: path.join(folder.dir, `${count}.state`),
      memPath: path.join(folder.dir, `${count}.mem`),
    });
    await source.resume();
    return snapshot.copy({
      snapshotPath: path.join(folder.dir, `copy-${count}.state`),
      memPath: path.join(folder.dir, `copy-${count}.mem`),
    });
  };
  const configure = (network: VmNetwork, hostDevName: string | undefined): ApiVmConfiguration => {
    const applied = network.apply(configuration);
    return hostDevName === undefined
      ? applied
      : {
          ...applied,
          networkInterfaces: [{ ...network.networkInterface, host_dev_name: hostDevName }],
        };
  };
  const prepare = async (network: VmNetwork, options: PrepareOptions = {}): Promise<Vm> => {
    count += 1;
    const common = {
      ...executorFor(folder.dir, folder.installation, network, count, options.jailUser),
      stateDir: false as const,
      shutdownActions: [{ method: 'kill' as const }],
      socketWaitTimeoutMs: TEST_WAIT_MS,
    };
    const vm =
      options.restoreFrom === undefined
        ? await Vm.prepare({
            ...common,
            installation: folder.installation,
            configuration: configure(network, options.hostDevName),
          })
        : await Vm.restore(await snapshotOf(options.restoreFrom), { ...common, resume: true });
    stack.defer(() => vm[Symbol.asyncDispose]());
    return vm;
  };
  return { prepare, [Symbol.asyncDispose]: () => stack.disposeAsync() };
};

describe.runIf(canManageNetwork)(`a Vm with a network${NET_ADMIN_NOTE}`, () => {
  it('gets a real TAP, its MAC and the ip= argument; everything goes with it', async () => {
    const before = await readHostView();
    {
      await using state = await createTempFolder('kindling-network-vm-state-');
      await using network = await createVmNetwork({ stateDir: state.path, vmId: 'vm-test' });
      await using fixture = await createFixture();
      const vm = await fixture.prepare(network);
      await vm.start();
      const config = (await vm.getVmConfig()) as {
        'network-interfaces': NetworkInterfaceView[];
        'boot-source': { boot_args: string };
      };
      expect(config['network-interfaces']).toMatchObject([
        {
          iface_id: 'eth0',
          host_dev_name: network.tapName,
          guest_mac: network.guest.mac.toLowerCase(),
        },
      ]);
      expect(config['boot-source'].boot_args).toContain(network.bootArgument);
      expect(await linkExists(network.tapName)).toBe(true);
    }
    expect(await readHostView()).toEqual(before);
  });

  it('runs Firecracker inside its own namespace, where its TAP is', async () => {
    await using state = await createTempFolder('kindling-network-vm-state-');
    await using network = await createVmNetwork({ stateDir: state.path, namespace: true });
    await using fixture = await createFixture();
    const vm = await fixture.prepare(network);
    await vm.start();
    const { stdout } = await execFileAsync('/usr/sbin/ip', ['netns', 'identify', String(vm.pid)]);
    expect(stdout.trim()).toBe(network.netns);
    expect(await linkExists('tap0', network.netns)).toBe(true);
    expect(await linkExists('tap0')).toBe(false);
  });

  it('runs a jailed Firecracker, dropped to its user, on the TAP that user owns in its namespace', async () => {
    const jailUser = { uid: 65_534, gid: 65_534 };
    await using state = await createTempFolder('kindling-network-vm-state-');
    await using network = await createVmNetwork({
      stateDir: state.path,
      namespace: true,
      tapOwner: jailUser,
    });
    await using fixture = await createFixture();
    const vm = await fixture.prepare(network, { jailUser });
    await vm.start();
    const config = (await vm.getVmConfig()) as { 'network-interfaces': NetworkInterfaceView[] };
    expect(config['network-interfaces'][0]?.host_dev_name).toBe('tap0');
  });

  it("refuses a jailed Firecracker another user's TAP (no CAP_NET_ADMIN after the drop)", async () => {
    await using state = await createTempFolder('kindling-network-vm-state-');
    await using network = await createVmNetwork({
      stateDir: state.path,
      tapOwner: { uid: 4_321, gid: 4_321 },
    });
    await using fixture = await createFixture();
    const vm = await fixture.prepare(network, { jailUser: { uid: 65_534, gid: 65_534 } });
    const error = await catchError(vm.start());
    expect(error).toMatchObject({ code: 'ERR_START_FAILED' });
    expect((error as Error).message).toContain(
      `Open tap device failed: Error while creating ifreq structure: Operation not permitted (os error 1). Invalid TUN/TAP Backend provided by ${network.tapName}.`,
    );
  });

  it('runs two clones of one snapshot side by side, same TAP name and guest address, each in its namespace', async () => {
    const before = await readHostView();
    {
      await using state = await createTempFolder('kindling-network-vm-state-');
      // Before the fixture, so that the networks go after the VMs.
      await using networkStack = new AsyncDisposableStack();
      const networks = await Promise.all(
        [0, 1, 2].map(() => createVmNetwork({ stateDir: state.path, namespace: true })),
      );
      networkStack.defer(async () => {
        await Promise.all(networks.map((network) => network.dispose()));
      });
      await using fixture = await createFixture();
      const [originalNet, firstNet, secondNet] = networks as [VmNetwork, VmNetwork, VmNetwork];
      const original = await fixture.prepare(originalNet);
      await original.start();
      const clones = [
        await fixture.prepare(firstNet, { restoreFrom: original }),
        await fixture.prepare(secondNet, { restoreFrom: original }),
      ];
      await Promise.all(clones.map((clone) => clone.start()));
      expect(clones.map((clone) => clone.state)).toEqual(['running', 'running']);
      for (const [index, clone] of clones.entries()) {
        const config = (await clone.getVmConfig()) as {
          'network-interfaces': NetworkInterfaceView[];
        };
        expect(config['network-interfaces'][0]?.host_dev_name).toBe('tap0');
        const { stdout } = await execFileAsync('/usr/sbin/ip', [
          'netns',
          'identify',
          String(clone.pid),
        ]);
        expect(stdout.trim()).toBe(networks[index + 1]?.netns);
      }
      // Each reachable at its own address from the host; all with the original's guest address.
      expect(new Set(networks.map((network) => network.reachableAddress)).size).toBe(3);
      expect(new Set(networks.map((network) => network.guest.address)).size).toBe(1);
    }
    expect(await readHostView()).toEqual(before);
  });

  it('is refused a host device that is not a TAP, in Firecracker words', async () => {
    await using state = await createTempFolder('kindling-network-vm-state-');
    await using inNamespace = await createVmNetwork({ stateDir: state.path, namespace: true });
    await using plain = await createVmNetwork({ stateDir: state.path });
    // The VM is pointed at the veth's host end instead of its TAP.
    const { vethHost } = namespaceOf(inNamespace.plan);
    await using fixture = await createFixture();
    const vm = await fixture.prepare(plain, { hostDevName: vethHost });
    const error = await catchError(vm.start());
    expect(error).toMatchObject({ code: 'ERR_START_FAILED' });
    expect((error as Error).message).toContain(
      `Open tap device failed: Error while creating ifreq structure: Invalid argument (os error 22). Invalid TUN/TAP Backend provided by ${vethHost}.`,
    );
  });

  it.runIf(isRealBackend)(`is refused a TAP another Firecracker holds ${REAL_ONLY}`, async () => {
    await using state = await createTempFolder('kindling-network-vm-state-');
    await using network = await createVmNetwork({ stateDir: state.path });
    await using fixture = await createFixture();
    const first = await fixture.prepare(network);
    await first.start();
    const second = await fixture.prepare(network);
    const error = await catchError(second.start());
    expect((error as Error).message).toMatch(/Resource busy \(os error 16\)/u);
  });
});
