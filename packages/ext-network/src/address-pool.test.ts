// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { assert, integer, nat, property } from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressPool, MMDS_DEFAULT_ADDRESS, parsePoolCidr } from './address-pool.js';
import { formatIpv4, parseIpv4 } from './ipv4.js';

const linkLocal = new AddressPool('169.254.0.0/16');

// The number of an address the pool itself wrote: always one.
const numberOf = (address: string): number => {
  const value = parseIpv4(address);
  if (value === undefined) {
    throw new Error(`not an address: ${address}`);
  }
  return value;
};

// The index of an address that must be in the pool.
const indexIn = (pool: AddressPool, address: string): number => {
  const index = pool.indexOf(address);
  if (index === undefined) {
    throw new Error(`${address} is not in ${pool.cidr}`);
  }
  return index;
};

describe('AddressPool arithmetic', () => {
  it('cuts the link-local /16 into 16384 /30s, the first at 169.254.0.0', () => {
    expect(linkLocal.size).toBe(16_384);
    expect(linkLocal.subnetAt(1)).toEqual({
      index: 1,
      network: '169.254.0.4',
      hostAddress: '169.254.0.5',
      guestAddress: '169.254.0.6',
      broadcast: '169.254.0.7',
      prefixLength: 30,
      netmask: '255.255.255.252',
    });
    expect(linkLocal.subnetAt(16_383).broadcast).toBe('169.254.255.255');
  });

  it('finds index 65 from 169.254.1.4, where fctools from_inet says 9', () => {
    expect(linkLocal.subnetAt(65).network).toBe('169.254.1.4');
    expect(linkLocal.indexOf('169.254.1.4')).toBe(65);
  });

  it('goes index → subnet → index for every /30 of the whole pool, each of its four addresses', () => {
    assert(
      property(integer({ min: 0, max: linkLocal.size - 1 }), (index) => {
        const subnet = linkLocal.subnetAt(index);
        for (const address of [
          subnet.network,
          subnet.hostAddress,
          subnet.guestAddress,
          subnet.broadcast,
        ]) {
          expect(linkLocal.indexOf(address)).toBe(index);
        }
        // Consecutive, aligned, disjoint: the next /30 starts right after the broadcast.
        expect(numberOf(subnet.broadcast)).toBe(numberOf(subnet.network) + 3);
        expect(numberOf(subnet.network) % 4).toBe(0);
      }),
      { numRuns: 2_000 },
    );
    // And exhaustively, since the pool is small enough: no index is missed or doubled.
    const seen = new Set<string>();
    for (let index = 0; index < linkLocal.size; index += 1) {
      seen.add(linkLocal.subnetAt(index).network);
    }
    expect(seen.size).toBe(linkLocal.size);
  });

  it('goes address → index → subnet holding that address, for any address of any pool', () => {
    assert(
      property(
        integer({ min: 8, max: 29 }),
        nat({ max: 2 ** 32 - 1 }),
        nat({ max: 2 ** 32 - 1 }),
        (prefixLength, anyBase, anyAddress) => {
          const span = 2 ** (32 - prefixLength);
          const base = anyBase - (anyBase % span);
          const pool = new AddressPool(`${formatIpv4(base)}/${prefixLength}`);
          expect(pool.size).toBe(span / 4);
          const inside = base + (anyAddress % span);
          const index = indexIn(pool, formatIpv4(inside));
          expect(index).toBe(Math.floor((inside - base) / 4));
          const network = numberOf(pool.subnetAt(index).network);
          expect(inside - network).toBeGreaterThanOrEqual(0);
          expect(inside - network).toBeLessThan(4);
          // Outside the pool there is no index.
          const outside = (base + span + (anyAddress % (2 ** 32 - span))) % 2 ** 32;
          expect(pool.indexOf(formatIpv4(outside))).toBeUndefined();
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('reserves index 0 (the in-namespace guest link) and the /30 of the MMDS address', () => {
    const mmdsIndex = linkLocal.indexOf(MMDS_DEFAULT_ADDRESS);
    expect(mmdsIndex).toBe(10_879);
    expect(linkLocal.isReserved(0)).toBe(true);
    expect(linkLocal.isReserved(10_879)).toBe(true);
    expect(linkLocal.isReserved(1)).toBe(false);
    expect(new AddressPool('10.0.0.0/24').isReserved(5)).toBe(false);
  });

  it('refuses indexes outside the pool and addresses that are not addresses', () => {
    expect(() => linkLocal.subnetAt(16_384)).toThrow(
      /index 16384 is outside the pool 169\.254\.0\.0\/16 \(0 to 16383\)/u,
    );
    expect(() => linkLocal.subnetAt(-1)).toThrow(RangeError);
    expect(linkLocal.indexOf('169.254.1')).toBeUndefined();
    expect(linkLocal.indexOf('169.254.1.256')).toBeUndefined();
    expect(linkLocal.indexOf('169.253.255.255')).toBeUndefined();
  });
});

describe('parsePoolCidr', () => {
  it.each([
    ['169.254.0.0', /CIDR notation/u],
    ['169.254.0.0/30', /prefix length from 8 to 29/u],
    ['10.0.0.0/7', /prefix length from 8 to 29/u],
    ['169.254.0.1/16', /host bits zero.*"169\.254\.0\.0\/16"/u],
    ['300.0.0.0/16', /CIDR notation/u],
  ])('refuses %s', (cidr, reason) => {
    expect(parsePoolCidr(cidr)).toMatch(reason);
  });

  it('accepts a network address', () => {
    expect(parsePoolCidr('10.200.0.0/16')).toEqual({ base: 0x0a_c8_00_00, prefixLength: 16 });
  });
});
