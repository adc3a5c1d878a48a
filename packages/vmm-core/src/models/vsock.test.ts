// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { vsockSchema } from './vsock.js';

const accepts = (value: unknown): boolean => vsockSchema.safeParse(value).success;

describe('vsockSchema', () => {
  it.each([
    [3, true],
    [2 ** 32 - 1, true],
    [2 ** 32, false],
  ])('guest_cid %i is accepted: %s (u32)', (cid, ok) => {
    expect(accepts({ guest_cid: cid, uds_path: '/v.sock' })).toBe(ok);
  });

  it.each([0, 1, 2])(
    'refuses the reserved guest_cid %i, deliberately stricter than Firecracker',
    (cid) => {
      const issue = vsockSchema.safeParse({ guest_cid: cid, uds_path: '/v.sock' }).error?.issues[0];
      expect(issue?.path).toEqual(['guest_cid']);
      expect(issue?.message).toContain('Kindling refuses the reserved CIDs 0-2');
    },
  );

  it('accepts the deprecated vsock_id and rejects unknown fields', () => {
    expect(accepts({ guest_cid: 3, uds_path: '/v.sock', vsock_id: 'vsock0' })).toBe(true);
    expect(accepts({ guest_cid: 3, uds_path: '/v.sock', cid: 3 })).toBe(false);
  });

  it('requires guest_cid and uds_path', () => {
    expect(accepts({ guest_cid: 3 })).toBe(false);
    expect(accepts({ uds_path: '/v.sock' })).toBe(false);
  });
});
