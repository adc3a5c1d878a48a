// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { assert, property, string } from 'fast-check';
import { describe, expect, it } from 'vitest';
import { macAddressFor } from './mac-address.js';

describe('macAddressFor', () => {
  it('is stable, locally administered and unicast for any id', () => {
    assert(
      property(string({ minLength: 1, maxLength: 64 }), (id) => {
        const mac = macAddressFor(id);
        expect(mac).toMatch(/^(?:[0-9A-F]{2}:){5}[0-9A-F]{2}$/u);
        const first = Number.parseInt(mac.slice(0, 2), 16);
        expect(first & 0x02).toBe(0x02);
        expect(first & 0x01).toBe(0);
        expect(macAddressFor(id)).toBe(mac);
      }),
    );
  });

  it("is the first six bytes of the id's SHA-256, 2d → 2e (local bit set)", () => {
    // sha256("vm-1") begins 2d62b0035f34.
    expect(macAddressFor('vm-1')).toBe('2E:62:B0:03:5F:34');
    expect(macAddressFor('vm-1')).not.toBe(macAddressFor('vm-2'));
  });
});
