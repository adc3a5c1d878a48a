// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { partialPmemSchema, pmemSchema } from './pmem.js';

describe('pmemSchema', () => {
  it('accepts a device with and without its optional fields', () => {
    const device = { id: 'pmem0', path_on_host: '/disk.img' };
    expect(pmemSchema.parse(device)).toEqual(device);
    const full = {
      ...device,
      root_device: true,
      read_only: true,
      rate_limiter: { ops: { size: 1, refill_time: 1 } },
    };
    expect(pmemSchema.parse(full)).toEqual(full);
  });

  it('requires id and path_on_host, and applies the id rule', () => {
    expect(pmemSchema.safeParse({ id: 'pmem0' }).success).toBe(false);
    expect(pmemSchema.safeParse({ path_on_host: '/d' }).success).toBe(false);
    expect(pmemSchema.safeParse({ id: 'pmem-0', path_on_host: '/d' }).success).toBe(false);
  });

  it('rejects an unknown field and a non-boolean flag', () => {
    expect(
      pmemSchema.safeParse({ id: 'p', path_on_host: '/d', is_root_device: true }).success,
    ).toBe(false);
    expect(pmemSchema.safeParse({ id: 'p', path_on_host: '/d', read_only: 'yes' }).success).toBe(
      false,
    );
  });
});

describe('partialPmemSchema', () => {
  it('accepts a new rate limiter and nothing else', () => {
    expect(partialPmemSchema.safeParse({ id: 'p', rate_limiter: null }).success).toBe(true);
    expect(partialPmemSchema.safeParse({ id: 'p', path_on_host: '/d' }).success).toBe(false);
  });
});
