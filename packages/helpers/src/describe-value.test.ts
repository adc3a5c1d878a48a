// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { describeValue } from './describe-value.js';

describe('describeValue', () => {
  it('shows JSON, and names what JSON cannot show', () => {
    expect(describeValue('a')).toBe('"a"');
    expect(describeValue({ a: [1, null] })).toBe('{"a":[1,null]}');
    expect(describeValue(void 0)).toBe('nothing');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue(Symbol('s'))).toBe('a symbol');
    expect(describeValue(12n)).toBe('12n');
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(describeValue(cycle)).toBe('[object Object]');
  });

  it('cuts long values to a glimpse', () => {
    expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(59)}…`);
  });
});
