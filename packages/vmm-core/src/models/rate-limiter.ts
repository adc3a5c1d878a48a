// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import { denyUnknownFields, ignoreUnknownFields, serdeOption, u64 } from './wire-types.js';

/**
 * The zod schema of a `TokenBucket` (Rust `TokenBucketConfig`): a bucket of `size` tokens that
 * refills completely every `refill_time` milliseconds, plus an initial `one_time_burst`.
 *
 * Firecracker does not validate it: `size: 0` or `refill_time: 0` (or a `refill_time` whose value
 * in nanoseconds overflows u64) silently disables the bucket, which is also how a PATCH turns a
 * limiter off. Unknown fields are ignored by Firecracker, so parsing drops them.
 */
export const tokenBucketSchema = ignoreUnknownFields('TokenBucket', {
  /** Bucket capacity in tokens (bytes for `bandwidth`, operations for `ops`); u64. */
  size: u64(),
  /** Milliseconds for the bucket to refill from empty to `size`; u64. */
  refill_time: u64(),
  /** Extra tokens available once at the start, before refilling begins; u64. */
  one_time_burst: serdeOption(u64()),
});

/**
 * A token bucket: `size` tokens refilled every `refill_time` ms.
 *
 * @interface
 */
export type TokenBucket = z.infer<typeof tokenBucketSchema>;

/**
 * The zod schema of a `RateLimiter` (Rust `RateLimiterConfig`, unknown fields rejected): a
 * bandwidth bucket (tokens are bytes) and an operations bucket (tokens are I/O operations), each
 * optional.
 */
export const rateLimiterSchema = denyUnknownFields('RateLimiter', {
  /** Token bucket whose tokens are bytes. */
  bandwidth: serdeOption(tokenBucketSchema),
  /** Token bucket whose tokens are operations (requests or packets). */
  ops: serdeOption(tokenBucketSchema),
});

/**
 * An I/O rate limiter: optional `bandwidth` (bytes) and `ops` buckets.
 *
 * @interface
 */
export type RateLimiter = z.infer<typeof rateLimiterSchema>;
