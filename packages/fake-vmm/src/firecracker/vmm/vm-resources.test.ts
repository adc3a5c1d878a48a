// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { patchRateLimiter } from './vm-resources.js';

const BANDWIDTH = { size: 1000, one_time_burst: null, refill_time: 100 };
const OPS = { size: 10, one_time_burst: null, refill_time: 100 };
const CURRENT = { bandwidth: BANDWIDTH, ops: OPS };

// Checked against Firecracker v1.16.1: PATCH /drives with only `bandwidth` kept `ops` in
// GET /vm/config.
describe('patchRateLimiter', () => {
  it('keeps a bucket the update leaves out or sends as null, replaces one it sends', () => {
    const stricter = { size: 500, refill_time: 100 };
    expect(patchRateLimiter(CURRENT, { bandwidth: stricter })).toStrictEqual({
      bandwidth: { ...stricter, one_time_burst: null },
      ops: OPS,
    });
    expect(
      patchRateLimiter(CURRENT, { bandwidth: null, ops: { size: 5, refill_time: 50 } }),
    ).toStrictEqual({
      bandwidth: BANDWIDTH,
      ops: { size: 5, one_time_burst: null, refill_time: 50 },
    });
  });

  it('turns a bucket off when it is sent with size or refill time 0, and the limiter when both are', () => {
    expect(patchRateLimiter(CURRENT, { ops: { size: 0, refill_time: 0 } })).toStrictEqual({
      bandwidth: BANDWIDTH,
      ops: null,
    });
    expect(
      patchRateLimiter(CURRENT, {
        bandwidth: { size: 0, refill_time: 1 },
        ops: { size: 1, refill_time: 0 },
      }),
    ).toBeNull();
  });

  it('leaves the limiter as it is for an empty update, and starts from none', () => {
    expect(patchRateLimiter(CURRENT, {})).toStrictEqual(CURRENT);
    expect(patchRateLimiter(null, { ops: { size: 5, refill_time: 50 } })).toStrictEqual({
      bandwidth: null,
      ops: { size: 5, one_time_burst: null, refill_time: 50 },
    });
  });
});
