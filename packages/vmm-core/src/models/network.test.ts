// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { networkInterfaceSchema, partialNetworkInterfaceSchema } from './network.js';

const iface = { iface_id: 'eth0', host_dev_name: 'tap0' };
const accepts = (value: unknown): boolean => networkInterfaceSchema.safeParse(value).success;

describe('networkInterfaceSchema', () => {
  it('accepts an interface with every field', () => {
    const full = {
      ...iface,
      guest_mac: 'AA:FC:00:00:00:01',
      mtu: 9000,
      rx_rate_limiter: { ops: { size: 10, refill_time: 10 } },
      tx_rate_limiter: { bandwidth: { size: 10, refill_time: 10, one_time_burst: 5 } },
    };
    expect(networkInterfaceSchema.parse(full)).toEqual(full);
  });

  it.each([
    ['upper case', 'AA:FC:00:00:00:01', true],
    ['lower case', 'aa:fc:00:00:00:01', true],
    ['mixed case', 'aA:Fc:00:00:00:01', true],
    ['five groups', 'AA:FC:00:00:01', false],
    ['seven groups', 'AA:FC:00:00:00:01:02', false],
    ['dashes', 'AA-FC-00-00-00-01', false],
    ['a one-digit group', 'A:FC:00:00:00:01', false],
    ['a non-hex digit', 'AG:FC:00:00:00:01', false],
  ])('reads a guest MAC in %s: accepted %s', (_name, mac, ok) => {
    expect(accepts({ ...iface, guest_mac: mac })).toBe(ok);
  });

  it('names the rule for a bad MAC', () => {
    const issue = networkInterfaceSchema.safeParse({ ...iface, guest_mac: 'AA-FC' }).error
      ?.issues[0];
    expect(issue?.path).toEqual(['guest_mac']);
    expect(issue?.message).toContain('The provided MAC address is invalid.');
  });

  it.each([
    [67, false],
    [68, true],
    [65_535, true],
    [65_536, false],
  ])('mtu %i is accepted: %s (range 68-65535)', (mtu, ok) => {
    expect(accepts({ ...iface, mtu })).toBe(ok);
  });

  it('accepts null for optional fields, as GET /vm/config reports them', () => {
    expect(
      accepts({
        ...iface,
        guest_mac: null,
        mtu: null,
        rx_rate_limiter: null,
        tx_rate_limiter: null,
      }),
    ).toBe(true);
  });

  it('enforces the id rule on iface_id and requires host_dev_name', () => {
    expect(accepts({ ...iface, iface_id: 'eth-0' })).toBe(false);
    expect(accepts({ ...iface, iface_id: 'réseau_0' })).toBe(true);
    expect(accepts({ iface_id: 'eth0' })).toBe(false);
  });

  it('rejects an unknown field, such as the removed allow_mmds_requests', () => {
    expect(accepts({ ...iface, allow_mmds_requests: true })).toBe(false);
  });
});

describe('partialNetworkInterfaceSchema', () => {
  it('accepts rate limiter updates only', () => {
    const limiter = { bandwidth: { size: 0, refill_time: 0 } };
    expect(
      partialNetworkInterfaceSchema.safeParse({ iface_id: 'eth0', rx_rate_limiter: limiter })
        .success,
    ).toBe(true);
    expect(
      partialNetworkInterfaceSchema.safeParse({ iface_id: 'eth0', guest_mac: 'AA:FC:00:00:00:01' })
        .success,
    ).toBe(false);
  });
});
