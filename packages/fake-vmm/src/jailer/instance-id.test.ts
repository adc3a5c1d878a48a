// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { checkInstanceId } from './instance-id.js';

describe('checkInstanceId', () => {
  it('accepts alphanumerics of any script and dashes', () => {
    expect(checkInstanceId('vm-1')).toBeUndefined();
    expect(checkInstanceId('é-٣-名')).toBeUndefined();
    expect(checkInstanceId('a'.repeat(64))).toBeUndefined();
  });

  it('counts the length in UTF-8 bytes', () => {
    expect(checkInstanceId('a'.repeat(65))).toEqual({
      display: 'Invalid len (65);  the length must be between 1 and 64',
      debug: 'InvalidLen(65, 1, 64)',
    });
    expect(checkInstanceId('é'.repeat(33))?.debug).toBe('InvalidLen(66, 1, 64)');
    expect(checkInstanceId('')?.display).toBe(
      'Invalid len (0);  the length must be between 1 and 64',
    );
  });

  it('names the first bad char by its char position', () => {
    expect(checkInstanceId('éé_x')).toEqual({
      display: 'Invalid char (_) at position 2',
      debug: "InvalidChar('_', 2)",
    });
    expect(checkInstanceId('a.b')?.display).toBe('Invalid char (.) at position 1');
  });
});
