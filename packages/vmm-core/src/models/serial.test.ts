// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { serialSchema } from './serial.js';

describe('serialSchema', () => {
  it('accepts an empty body, an output path and a token bucket', () => {
    expect(serialSchema.parse({})).toEqual({});
    const body = {
      serial_out_path: '/tmp/serial.log',
      rate_limiter: { size: 1024, refill_time: 100 },
    };
    expect(serialSchema.parse(body)).toEqual(body);
  });

  it('takes a bare token bucket, not a RateLimiter, and rejects unknown fields', () => {
    expect(
      serialSchema.safeParse({ rate_limiter: { bandwidth: { size: 1, refill_time: 1 } } }).success,
    ).toBe(false);
    expect(serialSchema.safeParse({ serial_in_path: '/x' }).success).toBe(false);
  });
});
