// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { computeRetryDelay } from './retry-delay.js';

describe('computeRetryDelay', () => {
  it('waits nothing before any failure', () => {
    expect(computeRetryDelay(0, 100, 10_000)).toBe(0);
  });

  it('doubles from the first wait per failure in a row', () => {
    expect([1, 2, 3, 4].map((failures) => computeRetryDelay(failures, 100, 10_000))).toEqual([
      100, 200, 400, 800,
    ]);
  });

  it('stops at the longest wait, also after very many failures', () => {
    expect(computeRetryDelay(8, 100, 10_000)).toBe(10_000);
    expect(computeRetryDelay(5_000, 100, 10_000)).toBe(10_000);
  });
});
