// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { RateLimiter, TokenBucket } from '@kindling/vmm-core';

/** The rule `isAtLeastAsStrict` applies, for error messages. */
export const RATE_LIMITER_RULE =
  "for each bucket (bandwidth, ops) the profile's limiter sets, the device's must set it too, " +
  'with a size and a one_time_burst no larger and a rate (size / refill_time) no higher';

// Firecracker turns a bucket off when size or refill_time is 0, or when refill_time in nanoseconds
// overflows u64 (TokenBucket::new returns None): such a bucket limits nothing.
const MAX_REFILL_MS = 18_446_744_073_709n;

const isEnabled = (bucket: TokenBucket | null | undefined): bucket is TokenBucket =>
  bucket !== undefined &&
  bucket !== null &&
  bucket.size > 0 &&
  bucket.refill_time > 0 &&
  BigInt(bucket.refill_time) <= MAX_REFILL_MS;

const isBucketAsStrict = (
  device: TokenBucket | null | undefined,
  profile: TokenBucket,
): boolean => {
  if (!isEnabled(device)) {
    return false;
  }
  // size / refill_time compared by cross-multiplying, in BigInt: u64 products overflow a double.
  const deviceRate = BigInt(device.size) * BigInt(profile.refill_time);
  const profileRate = BigInt(profile.size) * BigInt(device.refill_time);
  return (
    device.size <= profile.size &&
    deviceRate <= profileRate &&
    (device.one_time_burst ?? 0) <= (profile.one_time_burst ?? 0)
  );
};

/**
 * Whether a device's rate limiter limits at least as much as a profile's: every bucket the
 * profile's limiter enables is enabled in the device's with a size and a one-time burst no larger
 * and a refill rate no higher. A bucket the profile leaves off asks for nothing.
 */
export const isAtLeastAsStrict = (
  device: RateLimiter | null | undefined,
  profile: RateLimiter,
): boolean =>
  (['bandwidth', 'ops'] as const).every(
    (bucket) => !isEnabled(profile[bucket]) || isBucketAsStrict(device?.[bucket], profile[bucket]),
  );
