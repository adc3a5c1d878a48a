// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** The result of Rust's `str::parse::<uN>()`: the value, or the `ParseIntError` text. */
export type ParsedUnsigned =
  { readonly ok: true; readonly value: bigint } | { readonly ok: false; readonly reason: string };

/**
 * Parses text as Rust's `u8`/`u32`/`u64` `FromStr` does: an optional `+`, then decimal digits
 * only, within range; the failure reasons are `ParseIntError`'s own words.
 */
export const parseRustUnsigned = (text: string, bits: 8 | 16 | 32 | 64): ParsedUnsigned => {
  if (text === '') {
    return { ok: false, reason: 'cannot parse integer from empty string' };
  }
  const digits = text.startsWith('+') ? text.slice(1) : text;
  if (!/^\d+$/u.test(digits)) {
    return { ok: false, reason: 'invalid digit found in string' };
  }
  const value = BigInt(digits);
  if (value >= 1n << BigInt(bits)) {
    return { ok: false, reason: 'number too large to fit in target type' };
  }
  return { ok: true, value };
};
