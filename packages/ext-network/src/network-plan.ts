// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { AddressPool, type VmSubnet } from './address-pool.js';
import type { GuestNetwork } from './guest-network.js';

/**
 * Everything a VM's network is made of, by name: written to the state folder before anything is
 * created, so that cleanup (and `reconcileNetwork()` after a crash) can remove each piece.
 */
export interface NetworkPlan {
  readonly vmId: string;
  /** A random tag that makes this network's names unique on the host (10 hex digits). */
  readonly token: string;
  /** The pool (CIDR) and the index of the VM's /30 in it. */
  readonly pool: string;
  readonly index: number;
  /** Firecracker's `iface_id`, the guest's MAC and the device's MTU. */
  readonly ifaceId: string;
  readonly guestMac: string;
  readonly mtu?: number;
  /** The user the TAP belongs to (a jailed Firecracker's uid and gid). */
  readonly tapOwner?: { readonly uid: number; readonly gid: number };
  /** The TAP device's name (inside `netns` when there is one). */
  readonly tap: string;
  /** The VM's own network namespace, its veth pair (host end, namespace end) and nft table. */
  readonly netns?: {
    readonly name: string;
    readonly vethHost: string;
    readonly vethPeer: string;
    readonly table: string;
  };
  /** Egress: the host's nft table for this VM (masquerade), and ip_forward turned on. */
  readonly egress?: { readonly hostTable: string };
}

/** The addresses a plan stands for. */
export interface PlanAddresses {
  /** The /30 allocated in the pool. */
  readonly subnet: VmSubnet;
  /** The guest's side: inside a namespace always the pool's first /30, else `subnet`. */
  readonly guest: GuestNetwork;
  /** The TAP's address, inside the namespace when there is one. */
  readonly tapAddress: string;
  /** Where the host reaches the guest: the guest's address, or the namespace end of the veth. */
  readonly reachableAddress: string;
  /** The host's own address on the link: the TAP's, or the host end of the veth. */
  readonly hostAddress: string;
}

/** The addresses of a plan, from its pool and index. */
export const addressesOf = (plan: NetworkPlan): PlanAddresses => {
  const pool = new AddressPool(plan.pool);
  const subnet = pool.subnetAt(plan.index);
  // Every clone of a snapshot carries the same guest address: in a namespace it is always the
  // pool's first /30, which is reserved so that it is never a route of the host's.
  const link = plan.netns === undefined ? subnet : pool.subnetAt(0);
  return {
    subnet,
    guest: {
      address: link.guestAddress,
      gateway: link.hostAddress,
      prefixLength: 30,
      netmask: link.netmask,
      mac: plan.guestMac,
      device: 'eth0',
    },
    tapAddress: link.hostAddress,
    reachableAddress: subnet.guestAddress,
    hostAddress: subnet.hostAddress,
  };
};
