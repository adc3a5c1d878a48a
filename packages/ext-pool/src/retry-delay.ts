// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * The wait before the next refill after `failuresInARow` failed ones: `initialMs`, doubled per
 * further failure, at most `maxMs`. A failing snapshot or host then costs a few attempts a
 * minute, not a busy loop, and the pool recovers by itself once the cause is gone.
 */
export const computeRetryDelay = (
  failuresInARow: number,
  initialMs: number,
  maxMs: number,
): number => {
  if (failuresInARow <= 0) {
    return 0;
  }
  // 2 ** 1024 is Infinity: the exponent is capped well before the product passes maxMs anyway.
  const factor = 2 ** Math.min(failuresInARow - 1, 52);
  return Math.min(maxMs, initialMs * factor);
};
