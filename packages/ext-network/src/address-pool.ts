// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { formatIpv4, netmaskOf, parseIpv4 } from './ipv4.js';

/** One VM's /30: its network, the host's address (first) and the guest's (second). */
export interface VmSubnet {
  /** Its place in the pool, from 0. */
  readonly index: number;
  /** The network address (`169.254.0.4`). */
  readonly network: string;
  /** The host side: the TAP's (or the veth's) address, the guest's gateway (`169.254.0.5`). */
  readonly hostAddress: string;
  /** The guest's address (`169.254.0.6`). */
  readonly guestAddress: string;
  /** The broadcast address (`169.254.0.7`). */
  readonly broadcast: string;
  readonly prefixLength: 30;
  /** `255.255.255.252`. */
  readonly netmask: string;
}

const SUBNET_SIZE = 4;
const CIDR = /^(?<address>[\d.]+)\/(?<length>\d{1,2})$/u;

/** A pool given in CIDR notation, as numbers; undefined with a reason when it is not one. */
export const parsePoolCidr = (
  cidr: string,
): { readonly base: number; readonly prefixLength: number } | string => {
  const match = CIDR.exec(cidr);
  const base =
    match?.groups?.['address'] === undefined ? undefined : parseIpv4(match.groups['address']);
  const prefixLength = Number(match?.groups?.['length']);
  if (base === undefined || !Number.isInteger(prefixLength) || prefixLength > 32) {
    return 'expected an IPv4 network in CIDR notation, such as "169.254.0.0/16"';
  }
  if (prefixLength > 29 || prefixLength < 8) {
    return 'expected a prefix length from 8 to 29: a pool holds at least two /30s';
  }
  if (base % 2 ** (32 - prefixLength) !== 0) {
    return `expected the network's first address (host bits zero), e.g. "${formatIpv4(base - (base % 2 ** (32 - prefixLength)))}/${prefixLength}"`;
  }
  return { base, prefixLength };
};

/**
 * A range of IPv4 addresses cut into /30s, one per VM: index ↔ subnet ↔ addresses, both ways.
 * Index 0 is never handed out: inside a VM's own namespace it is the guest's subnet (every
 * clone's), so it must not also be a host route. Neither is the /30 holding 169.254.169.254,
 * Firecracker's default MMDS address, which a guest must not find on its own link.
 */
export class AddressPool {
  readonly cidr: string;
  /** How many /30s the pool holds (reserved ones included). */
  readonly size: number;
  readonly #base: number;

  /** `cidr` must already be valid (`parsePoolCidr`). */
  constructor(cidr: string) {
    const parsed = parsePoolCidr(cidr);
    if (typeof parsed === 'string') {
      throw new TypeError(`${cidr}: ${parsed}`);
    }
    this.cidr = cidr;
    this.#base = parsed.base;
    this.size = 2 ** (32 - parsed.prefixLength) / SUBNET_SIZE;
  }

  /** The /30 at `index` (0 to `size - 1`). */
  subnetAt(index: number): VmSubnet {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(
        `index ${index} is outside the pool ${this.cidr} (0 to ${this.size - 1})`,
      );
    }
    const network = this.#base + index * SUBNET_SIZE;
    return {
      index,
      network: formatIpv4(network),
      hostAddress: formatIpv4(network + 1),
      guestAddress: formatIpv4(network + 2),
      broadcast: formatIpv4(network + 3),
      prefixLength: 30,
      netmask: netmaskOf(30),
    };
  }

  /**
   * The index of the /30 that holds `address` (any of its four), or undefined when the address
   * is not in the pool. (fctools' `from_inet` divides by the prefix length instead of the
   * subnet's size, so its answer is wrong for every subnet after the first.)
   */
  indexOf(address: string): number | undefined {
    const value = parseIpv4(address);
    if (value === undefined || value < this.#base) {
      return undefined;
    }
    const index = Math.floor((value - this.#base) / SUBNET_SIZE);
    return index < this.size ? index : undefined;
  }

  /** Whether `index` is kept out of allocation (see the class comment). */
  isReserved(index: number): boolean {
    return index === 0 || index === this.indexOf(MMDS_DEFAULT_ADDRESS);
  }
}

/** Firecracker's default MMDS address (`mmds-config.ipv4_address`). */
export const MMDS_DEFAULT_ADDRESS = '169.254.169.254';
