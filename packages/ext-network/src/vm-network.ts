// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VmConfiguration } from '@kindling/vm';
import {
  NetnsModifier,
  type CommandModifier,
  type NetworkInterface,
  type NetworkOverride,
} from '@kindling/vmm-core';
import {
  kernelIpArgument,
  mmdsNetworkData,
  type GuestNetwork,
  type MmdsNetworkData,
} from './guest-network.js';
import { createHostTools } from './host-tools.js';
import type { ResolvedVmNetworkOptions } from './network-options.js';
import { addressesOf, type NetworkPlan } from './network-plan.js';
import { removeNetworkRecord } from './network-records.js';
import { tearDownNetwork, type RecordPlace } from './network-steps.js';

/** Firecracker's kernel command line when `boot_args` is not given (it is replaced, not added to). */
export const FIRECRACKER_DEFAULT_BOOT_ARGS =
  'reboot=k panic=1 nomodule 8250.nr_uarts=0 i8042.noaux i8042.nomux i8042.dumbkbd swiotlb=noforce';

/** What `net.apply()` takes. */
export interface ApplyNetworkOptions {
  /**
   * Also let the guest reach MMDS over this interface (`mmdsConfig`, version V2, unless one is
   * set) and put `mmdsNetworkData` into the MMDS store (`mmds`, merged over what is there).
   * A new VM configured through the API only: a config file has no MMDS data.
   */
  readonly mmds?: boolean;
}

const withBootArgument = (bootArgs: string | null | undefined, argument: string): string => {
  const kept = (bootArgs ?? FIRECRACKER_DEFAULT_BOOT_ARGS)
    .split(' ')
    .filter((word) => word !== '' && !word.startsWith('ip='));
  return [...kept, argument].join(' ');
};

/**
 * One VM's network on the host, made by `createVmNetwork`: a /30 of the pool, a TAP device
 * (and, optionally, a network namespace with a veth pair and NAT, and egress), recorded in the
 * state folder. Give its parts to `Vm.prepare` (`apply`, `commandModifiers` or `netnsPath`)
 * and dispose of it after the VM: `await using` it before the VM, so that it goes after.
 */
export class VmNetwork implements AsyncDisposable {
  /** The id the MAC address is derived from. */
  readonly vmId: string;
  /** Everything made, by name; what the record in the state folder holds. */
  readonly plan: NetworkPlan;
  /** The guest's side: address, gateway, netmask, MAC, device. */
  readonly guest: GuestNetwork;
  /** Where the host reaches the guest: its address, or (in a namespace) the veth's in there. */
  readonly reachableAddress: string;
  /** The host's own address on the link: the TAP's, or (in a namespace) the host end of the veth. */
  readonly hostAddress: string;
  /** The TAP device's name (inside the namespace when there is one). */
  readonly tapName: string;
  /** The namespace's name, when the VM has one. */
  readonly netns: string | undefined;
  readonly #place: RecordPlace;
  readonly #options: ResolvedVmNetworkOptions;
  readonly #stopHostExitSweep: () => void;
  #disposal: Promise<void> | undefined;

  /** @internal Made by `createVmNetwork`. */
  constructor(
    plan: NetworkPlan,
    place: RecordPlace,
    options: ResolvedVmNetworkOptions,
    stopHostExitSweep: () => void = () => {},
  ) {
    const addresses = addressesOf(plan);
    this.vmId = plan.vmId;
    this.plan = plan;
    this.guest = addresses.guest;
    this.reachableAddress = addresses.reachableAddress;
    this.hostAddress = addresses.hostAddress;
    this.tapName = plan.tap;
    this.netns = plan.netns?.name;
    this.#place = place;
    this.#options = options;
    this.#stopHostExitSweep = stopHostExitSweep;
  }

  /** The `networkInterfaces` entry: `iface_id`, the TAP as `host_dev_name`, `guest_mac`, `mtu`. */
  get networkInterface(): NetworkInterface {
    return {
      iface_id: this.plan.ifaceId,
      host_dev_name: this.plan.tap,
      guest_mac: this.plan.guestMac,
      ...(this.plan.mtu === undefined ? {} : { mtu: this.plan.mtu }),
    };
  }

  /** `networkOverrides` for `Vm.restore`: the snapshot's interface onto this network's TAP. */
  get networkOverrides(): readonly NetworkOverride[] {
    return [{ iface_id: this.plan.ifaceId, host_dev_name: this.plan.tap }];
  }

  /** The guest's address as the kernel's `ip=` boot argument (`ip=<addr>::<gw>:<mask>::eth0:off`). */
  get bootArgument(): string {
    return kernelIpArgument(this.guest);
  }

  /** The guest's address as MMDS data: `{ network: { interfaces: { eth0: { mac, ipv4 } } } }`. */
  get mmdsNetworkData(): MmdsNetworkData {
    return mmdsNetworkData(this.guest);
  }

  /** `commandModifiers` for an `UnrestrictedExecutor`: Firecracker run in the namespace, if any. */
  get commandModifiers(): readonly CommandModifier[] {
    return this.netns === undefined
      ? []
      : [new NetnsModifier({ netns: this.netns, iproute2Path: this.#options.iproute2Path })];
  }

  /** The namespace's path, for `JailerArguments`' `netns` (the jailer joins it). */
  get netnsPath(): string | undefined {
    return this.netns === undefined ? undefined : `/run/netns/${this.netns}`;
  }

  /**
   * The configuration with this network in it: a new VM gets the interface (added to
   * `networkInterfaces`) and the `ip=` boot argument (replacing one there; added to
   * Firecracker's default command line when `boot_args` is unset); a restored one gets
   * `networkOverrides`. The configuration given is not changed.
   */
  apply<Configuration extends VmConfiguration>(
    configuration: Configuration,
    options: ApplyNetworkOptions = {},
  ): Configuration {
    if (configuration.kind === 'restored-from-snapshot') {
      return {
        ...configuration,
        networkOverrides: [...(configuration.networkOverrides ?? []), ...this.networkOverrides],
      };
    }
    const applied = {
      ...configuration,
      bootSource: {
        ...configuration.bootSource,
        boot_args: withBootArgument(configuration.bootSource.boot_args, this.bootArgument),
      },
      networkInterfaces: [...(configuration.networkInterfaces ?? []), this.networkInterface],
    };
    if (options.mmds !== true || configuration.kind === 'new-via-config-file') {
      return applied;
    }
    return {
      ...applied,
      mmdsConfig: configuration.mmdsConfig ?? {
        version: 'V2',
        network_interfaces: [this.plan.ifaceId],
      },
      mmds: { ...(configuration.mmds as object | undefined), ...this.mmdsNetworkData },
    };
  }

  /**
   * Removes everything this network made (TAP, namespace with its veth and NAT, egress rules, its
   * use of ip_forward) and its record, freeing its /30. Dispose of the VM first: a TAP still held
   * by Firecracker goes from the host, but not from the VM. Disposing twice is harmless. When a
   * step fails the record stays, for `reconcileNetwork()`. Until then, Node going down (exit,
   * SIGINT, SIGTERM, SIGHUP) removes it synchronously, unless `spawner` is an elevated one.
   */
  dispose(): Promise<void> {
    this.#disposal ??= (async () => {
      try {
        await tearDownNetwork(createHostTools(this.#options), this.plan, this.#place);
        await removeNetworkRecord(this.#place.file);
      } finally {
        this.#stopHostExitSweep();
      }
    })();
    return this.#disposal;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
