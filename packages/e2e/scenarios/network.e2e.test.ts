// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createVmNetwork, type VmNetwork } from '@kindling/ext-network';
import { createTempFolder, TEST_WAIT_MS, type TempFolder } from '@kindling/test-utils';
import type { VmTestHarness } from '@kindling/test-vm';
import type { Vm, VmSnapshot } from '@kindling/vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createE2eHarness,
  inNetwork,
  linkExists,
  namespaceOfProcess,
  noGuestNetwork,
  noNetAdmin,
  noStartedVm,
  probeTcp,
  skipNote,
  waitForGuestIfItBoots,
  type NetworkInterfaceView,
} from '../src/index.ts';

// The networks' records in a folder of this file's own: its /30s never meet another run's.
let state: TempFolder;
let harness: VmTestHarness;
beforeAll(async () => {
  state = await createTempFolder('kindling-e2e-network-state-');
  harness = await createE2eHarness('network');
});
// The VMs go first (the harness), then the networks (each test's `await using`), then the records.
afterAll(async () => {
  await harness[Symbol.asyncDispose]();
  await state[Symbol.asyncDispose]();
});

const network = (namespace: boolean): Promise<VmNetwork> =>
  createVmNetwork({ stateDir: state.path, namespace });

const interfacesOf = async (vm: Vm): Promise<NetworkInterfaceView[]> =>
  ((await vm.getVmConfig()) as { 'network-interfaces': NetworkInterfaceView[] })[
    'network-interfaces'
  ];

/** A VM on the network, Firecracker started in its namespace, not booted (VMM-level). */
const prepared = async (net: VmNetwork, name: string): Promise<Vm> => {
  const vm = await harness.prepare(inNetwork(net), net.apply(harness.configuration(name)));
  await vm.start({ boot: false });
  return vm;
};

/** Boots a VM in `source`'s namespace, snapshots it, and restores two clones in theirs. */
const clonePair = async (
  source: VmNetwork,
  clones: readonly VmNetwork[],
  label: string,
): Promise<Vm[]> => {
  const vm = await harness.prepare(
    inNetwork(source),
    source.apply(harness.configuration(`${label}-source`)),
  );
  await vm.start();
  await waitForGuestIfItBoots(vm, harness.marker);
  await vm.pause();
  const made = await vm.createSnapshot({
    snapshotPath: harness.pathFor(`${label}-snap/vm.state`),
    memPath: harness.pathFor(`${label}-snap/vm.mem`),
  });
  const snapshot: VmSnapshot = await made.copy({
    snapshotPath: harness.pathFor(`${label}-copy/vm.state`),
    memPath: harness.pathFor(`${label}-copy/vm.mem`),
  });
  await vm.shutdown([{ method: 'kill' }]);
  return Promise.all(
    clones.map((net, index) => harness.restore(inNetwork(net), snapshot, `${label}-clone${index}`)),
  );
};

const VMM_REASON = noNetAdmin ?? noStartedVm;

describe('networked VM', () => {
  it.skipIf(VMM_REASON !== undefined)(
    `attaches its TAP by PUT /network-interfaces, with its MAC and ip= argument (VMM-level)${skipNote(VMM_REASON)}`,
    async () => {
      let tapName: string;
      {
        await using net = await network(false);
        tapName = net.tapName;
        const vm = await prepared(net, 'tap');
        expect(await interfacesOf(vm)).toMatchObject([
          { iface_id: 'eth0', host_dev_name: net.tapName, guest_mac: net.guest.mac.toLowerCase() },
        ]);
        expect((await vm.getVmConfig())['boot-source']?.boot_args).toContain(net.bootArgument);
        expect(await linkExists(net.tapName)).toBe(true);
        await vm.shutdown([{ method: 'kill' }]);
      }
      expect(await linkExists(tapName)).toBe(false);
    },
  );

  it.skipIf(noGuestNetwork !== undefined)(
    `the booted guest answers TCP at its address on the TAP${skipNote(noGuestNetwork)}`,
    async () => {
      await using net = await network(false);
      const vm = await harness.prepare(inNetwork(net), net.apply(harness.configuration('boot')));
      await vm.start();
      await vm.waitForSerialLine(harness.marker, { timeoutMs: TEST_WAIT_MS });
      expect(await probeTcp(net.guest.address, TEST_WAIT_MS)).toBe('refused');
      await vm.shutdown([{ method: 'kill' }]);
    },
  );
});

describe('networked clone pair', () => {
  it.skipIf(VMM_REASON !== undefined)(
    `two Firecrackers, each in its own namespace, attach tap0 with the same guest address (VMM-level)${skipNote(VMM_REASON)}`,
    async () => {
      await using first = await network(true);
      await using second = await network(true);
      const vms = [await prepared(first, 'ns-a'), await prepared(second, 'ns-b')];
      for (const [index, net] of [first, second].entries()) {
        const vm = vms[index] as Vm;
        expect(await namespaceOfProcess(vm.pid)).toBe(net.netns);
        expect((await interfacesOf(vm))[0]?.host_dev_name).toBe('tap0');
        expect(await linkExists('tap0', net.netns)).toBe(true);
      }
      expect([first.guest.address, second.guest.address]).toEqual(['169.254.0.2', '169.254.0.2']);
      expect(first.reachableAddress).not.toBe(second.reachableAddress);
      await Promise.all(vms.map((vm) => vm.shutdown([{ method: 'kill' }])));
    },
  );

  it.skipIf(VMM_REASON !== undefined)(
    `restores two clones of one snapshot side by side, each in its namespace on tap0 (VMM-level)${skipNote(VMM_REASON)}`,
    async () => {
      await using source = await network(true);
      await using a = await network(true);
      await using b = await network(true);
      const clones = await clonePair(source, [a, b], 'pair');
      expect(clones.map((clone) => clone.state)).toEqual(['running', 'running']);
      expect(await Promise.all(clones.map((clone) => namespaceOfProcess(clone.pid)))).toEqual([
        a.netns,
        b.netns,
      ]);
      const taps = await Promise.all(
        clones.map(async (clone) => (await interfacesOf(clone))[0]?.host_dev_name),
      );
      expect(taps).toEqual(['tap0', 'tap0']);
      await Promise.all(clones.map((clone) => clone.shutdown([{ method: 'kill' }])));
    },
  );

  it.skipIf(noGuestNetwork !== undefined)(
    `each clone answers TCP at its own host-side address${skipNote(noGuestNetwork)}`,
    async () => {
      await using source = await network(true);
      await using a = await network(true);
      await using b = await network(true);
      const clones = await clonePair(source, [a, b], 'reach');
      const outcomes = await Promise.all(
        [a, b].map((net) => probeTcp(net.reachableAddress, TEST_WAIT_MS)),
      );
      expect(outcomes).toEqual(['refused', 'refused']);
      await Promise.all(clones.map((clone) => clone.shutdown([{ method: 'kill' }])));
    },
  );
});
