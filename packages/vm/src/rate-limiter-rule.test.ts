// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { isAtLeastAsStrict } from './rate-limiter-rule.js';

const profile = { bandwidth: { size: 1_000, refill_time: 100, one_time_burst: 50 } };

describe('isAtLeastAsStrict', () => {
  it('accepts the same limiter and a stricter one', () => {
    expect(isAtLeastAsStrict(profile, profile)).toBe(true);
    expect(isAtLeastAsStrict({ bandwidth: { size: 500, refill_time: 100 } }, profile)).toBe(true);
    // A slower refill is a lower rate.
    expect(isAtLeastAsStrict({ bandwidth: { size: 1_000, refill_time: 200 } }, profile)).toBe(true);
  });

  it('refuses no limiter, a missing bucket and a disabled one', () => {
    expect(isAtLeastAsStrict(undefined, profile)).toBe(false);
    expect(isAtLeastAsStrict(null, profile)).toBe(false);
    expect(isAtLeastAsStrict({ ops: { size: 1, refill_time: 1 } }, profile)).toBe(false);
    expect(isAtLeastAsStrict({ bandwidth: { size: 0, refill_time: 100 } }, profile)).toBe(false);
    expect(
      isAtLeastAsStrict({ bandwidth: { size: 10, refill_time: 18_446_744_073_710 } }, profile),
    ).toBe(false);
  });

  it('refuses a larger bucket, a higher rate and a larger burst', () => {
    expect(isAtLeastAsStrict({ bandwidth: { size: 2_000, refill_time: 400 } }, profile)).toBe(
      false,
    );
    expect(isAtLeastAsStrict({ bandwidth: { size: 1_000, refill_time: 50 } }, profile)).toBe(false);
    expect(
      isAtLeastAsStrict(
        { bandwidth: { size: 1_000, refill_time: 100, one_time_burst: 51 } },
        profile,
      ),
    ).toBe(false);
  });

  it('asks nothing for a bucket the profile leaves off', () => {
    expect(isAtLeastAsStrict({}, { ops: { size: 0, refill_time: 10 } })).toBe(true);
    expect(isAtLeastAsStrict({}, {})).toBe(true);
  });

  it('compares rates of u64-sized buckets exactly', () => {
    const big = { ops: { size: Number.MAX_SAFE_INTEGER, refill_time: 3 } };
    expect(
      isAtLeastAsStrict({ ops: { size: Number.MAX_SAFE_INTEGER - 1, refill_time: 3 } }, big),
    ).toBe(true);
    expect(isAtLeastAsStrict({ ops: { size: Number.MAX_SAFE_INTEGER, refill_time: 2 } }, big)).toBe(
      false,
    );
  });
});
