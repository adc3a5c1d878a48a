// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { parseRustUnsigned } from './parse-unsigned.js';

describe('parseRustUnsigned', () => {
  it('parses decimal digits with an optional plus sign', () => {
    expect(parseRustUnsigned('2048', 64)).toEqual({ ok: true, value: 2048n });
    expect(parseRustUnsigned('+7', 8)).toEqual({ ok: true, value: 7n });
    expect(parseRustUnsigned('18446744073709551615', 64)).toEqual({
      ok: true,
      value: 18_446_744_073_709_551_615n,
    });
  });

  it("fails with ParseIntError's own words", () => {
    expect(parseRustUnsigned('', 32)).toEqual({
      ok: false,
      reason: 'cannot parse integer from empty string',
    });
    expect(parseRustUnsigned('-1', 32)).toEqual({
      ok: false,
      reason: 'invalid digit found in string',
    });
    expect(parseRustUnsigned('1k', 32)).toEqual({
      ok: false,
      reason: 'invalid digit found in string',
    });
    expect(parseRustUnsigned('256', 8)).toEqual({
      ok: false,
      reason: 'number too large to fit in target type',
    });
    expect(parseRustUnsigned('4294967296', 32).ok).toBe(false);
  });
});
