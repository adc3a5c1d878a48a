// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { rateLimiterSchema, tokenBucketSchema } from './rate-limiter.js';

describe('tokenBucketSchema', () => {
  it('accepts a bucket and keeps its values', () => {
    const bucket = { size: 1_048_576, refill_time: 1000, one_time_burst: 4096 };
    expect(tokenBucketSchema.parse(bucket)).toEqual(bucket);
  });

  it('accepts zero size and refill time, which Firecracker reads as "disabled"', () => {
    expect(tokenBucketSchema.safeParse({ size: 0, refill_time: 0 }).success).toBe(true);
  });

  it('accepts one_time_burst null, as serde reads Option<u64>', () => {
    expect(
      tokenBucketSchema.safeParse({ size: 1, refill_time: 1, one_time_burst: null }).success,
    ).toBe(true);
  });

  it('drops unknown fields, which Firecracker ignores in TokenBucketConfig', () => {
    expect(tokenBucketSchema.parse({ size: 1, refill_time: 2, burst: 3 })).toEqual({
      size: 1,
      refill_time: 2,
    });
  });

  it.each([
    ['a negative size', { size: -1, refill_time: 1 }, ['size']],
    ['a fractional refill time', { size: 1, refill_time: 1.5 }, ['refill_time']],
    ['a size beyond Number.MAX_SAFE_INTEGER', { size: 2 ** 53, refill_time: 1 }, ['size']],
    ['a missing refill_time', { size: 1 }, ['refill_time']],
    [
      'a negative one_time_burst',
      { size: 1, refill_time: 1, one_time_burst: -5 },
      ['one_time_burst'],
    ],
  ])('rejects %s', (_name, value, path) => {
    const result = tokenBucketSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });

  it('accepts the largest safe integer', () => {
    expect(
      tokenBucketSchema.safeParse({ size: Number.MAX_SAFE_INTEGER, refill_time: 0 }).success,
    ).toBe(true);
  });
});

describe('rateLimiterSchema', () => {
  it('accepts bandwidth and ops buckets, either one, or none', () => {
    const bucket = { size: 100, refill_time: 100 };
    expect(rateLimiterSchema.safeParse({ bandwidth: bucket, ops: bucket }).success).toBe(true);
    expect(rateLimiterSchema.safeParse({ ops: bucket }).success).toBe(true);
    expect(rateLimiterSchema.safeParse({ bandwidth: null }).success).toBe(true);
    expect(rateLimiterSchema.safeParse({}).success).toBe(true);
  });

  it('rejects an unknown field, as RateLimiterConfig denies unknown fields', () => {
    const result = rateLimiterSchema.safeParse({ bandwith: { size: 1, refill_time: 1 } });
    expect(result.error?.issues[0]?.message).toBe(
      'unknown field "bandwith": Firecracker rejects unknown fields in RateLimiter; remove them',
    );
  });
});
