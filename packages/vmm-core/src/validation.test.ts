// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { isKindlingError } from '@kindling/spawner';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseWithSchema } from './validation.js';

const schema = z.strictObject({
  vcpu_count: z.number().int().min(1).max(32),
  name: z.string().max(10).optional(),
  tags: z.array(z.string()).optional(),
});

const failureOf = (value: unknown): Error => {
  try {
    parseWithSchema(schema, value, 'machineConfig');
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected parseWithSchema to throw');
};

describe('parseWithSchema', () => {
  it('returns the parsed value', () => {
    expect(parseWithSchema(schema, { vcpu_count: 2 }, 'machineConfig')).toEqual({ vcpu_count: 2 });
  });

  it('throws ERR_INVALID_INPUT naming the field, the value and the rule', () => {
    const error = failureOf({ vcpu_count: 33 });
    expect(isKindlingError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ERR_INVALID_INPUT', name: 'VmmCoreError' });
    expect(error.message).toMatch(/^machineConfig\.vcpu_count: .*32.*, got 33$/u);
    expect(error.cause).toBeInstanceOf(z.ZodError);
  });

  it('writes array indices as [n] and lists every bad field', () => {
    const error = failureOf({ vcpu_count: 0, tags: ['a', 7] });
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^machineConfig\.tags\[1\]: .*, got 7$/u);
  });

  it('shows a missing value as nothing, a function by its type, and truncates long values', () => {
    expect(failureOf({}).message).toMatch(/got nothing$/u);
    expect(failureOf({ vcpu_count: () => 1 }).message).toMatch(/got a function$/u);
    expect(failureOf({ vcpu_count: 10n }).message).toMatch(/got 10n$/u);
    const long = failureOf({ vcpu_count: 1, name: 'x'.repeat(500) }).message;
    expect(long.length).toBeLessThan(200);
    expect(long).toMatch(/…$/u);
  });
});
