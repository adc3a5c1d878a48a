// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { entropyDeviceSchema } from './entropy.js';

describe('entropyDeviceSchema', () => {
  it('accepts an empty body and a rate limiter', () => {
    expect(entropyDeviceSchema.parse({})).toEqual({});
    expect(
      entropyDeviceSchema.safeParse({ rate_limiter: { bandwidth: { size: 1, refill_time: 1 } } })
        .success,
    ).toBe(true);
  });

  it('rejects an unknown field and a malformed rate limiter', () => {
    expect(entropyDeviceSchema.safeParse({ source: '/dev/urandom' }).success).toBe(false);
    expect(
      entropyDeviceSchema.safeParse({ rate_limiter: { bandwidth: { size: 1 } } }).success,
    ).toBe(false);
  });
});
