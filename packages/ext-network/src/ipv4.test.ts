// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { assert, nat, property } from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv4, netmaskOf, parseIpv4 } from './ipv4.js';

describe('IPv4 numbers', () => {
  it('round-trips every 32-bit number', () => {
    assert(
      property(nat({ max: 2 ** 32 - 1 }), (value) => {
        expect(parseIpv4(formatIpv4(value))).toBe(value);
      }),
    );
  });

  it('reads the high octets without going negative', () => {
    expect(parseIpv4('255.255.255.255')).toBe(4_294_967_295);
    expect(parseIpv4('169.254.169.254')).toBe(2_852_039_166);
  });

  it.each(['1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.256', 'a.b.c.d', ''])('refuses %j', (text) => {
    expect(parseIpv4(text)).toBeUndefined();
  });

  it('writes netmasks', () => {
    expect(netmaskOf(30)).toBe('255.255.255.252');
    expect(netmaskOf(16)).toBe('255.255.0.0');
  });
});
