// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkFlagRelations, emitFlags } from './emit-flags.js';
import type { FlagSpec } from './flags.js';

const TABLE: readonly FlagSpec[] = [
  { flag: '--a', option: 'a', kind: 'value', valueType: 'string', requires: ['--c'] },
  { flag: '--b', option: 'b', kind: 'switch', conflictsWith: ['--c'] },
  { flag: '--c', option: 'c', kind: 'switch', conflictsWith: ['--b'] },
  { flag: '--d', option: 'd', kind: 'repeatable', valueType: 'key-value' },
];

const issuesFor = (value: Record<string, unknown>): string[] => {
  const schema = z.record(z.string(), z.unknown()).superRefine((input, context) => {
    checkFlagRelations(
      TABLE,
      (option) => input[option] !== undefined && input[option] !== false,
      context,
      input,
    );
  });
  const result = schema.safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('emitFlags', () => {
  it('emits in table order whatever the order of the values', () => {
    expect(emitFlags(TABLE, { d: ['x=1', 'y=2'], c: true, a: 'v', b: false })).toEqual([
      '--a',
      'v',
      '--c',
      '--d',
      'x=1',
      '--d',
      'y=2',
    ]);
  });

  it('refuses a value of the wrong kind for its flag', () => {
    expect(() => emitFlags(TABLE, { b: 'text' })).toThrow(
      '--b is a switch flag and cannot take text',
    );
    expect(() => emitFlags(TABLE, { a: ['x'] })).toThrow(
      '--a is a value flag and cannot take a list',
    );
  });
});

describe('checkFlagRelations', () => {
  it('reports a missing requirement on the flag that needs it', () => {
    expect(issuesFor({ a: 'v' })).toEqual(["a: --a requires --c (Firecracker's rule): set c too"]);
  });

  it('reports a conflict listed on both flags once', () => {
    expect(issuesFor({ a: 'v', b: true, c: true })).toEqual([
      'b: --b cannot be combined with --c (Firecracker forbids it): drop c or b',
    ]);
  });

  it('accepts values that break no rule', () => {
    expect(issuesFor({ a: 'v', c: true, b: false })).toEqual([]);
  });
});
