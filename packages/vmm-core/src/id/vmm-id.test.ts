// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VMM_ID,
  VMM_ID_MAX_BYTES,
  findVmmIdProblem,
  isVmmId,
  parseVmmId,
  vmmIdSchema,
} from './vmm-id.js';
import { catchVmmCoreError } from '../../test/support/catch-vmm-core-error.js';

describe('VmmId', () => {
  it.each([
    ['a single character', 'a'],
    ['a single hyphen', '-'],
    ['Firecracker default', 'anonymous-instance'],
    ['a UUID', '0e6a6a1c-3b9b-4c41-9f4e-5c1f7d0a2b3c'],
    ['a Latin letter with an accent', 'é'],
    ['CJK ideographs', '日本'],
    ['Arabic-Indic digit (Nd)', '٣'],
    ['Roman numeral (Nl)', 'Ⅻ'],
    ['vulgar fraction (No)', '½'],
    ['64 ASCII bytes', 'a'.repeat(64)],
    ['64 bytes of 2-byte characters', 'é'.repeat(32)],
    ['64 bytes of 3-byte characters and one ASCII', `${'日'.repeat(21)}a`],
    ['64 bytes of 4-byte characters', '𝒜'.repeat(16)],
  ])('accepts %s', (_name, id) => {
    expect(findVmmIdProblem(id)).toBeUndefined();
    expect(isVmmId(id)).toBe(true);
    expect(parseVmmId(id)).toBe(id);
  });

  it.each([
    ['empty', '', /must be 1 to 64 bytes of UTF-8 \(this one is 0\)/u],
    ['65 ASCII bytes', 'a'.repeat(65), /this one is 65/u],
    ['65 bytes of 2-byte characters and one ASCII', `${'é'.repeat(32)}a`, /this one is 65/u],
    ['66 bytes of 3-byte characters (22 characters)', '日'.repeat(22), /this one is 66/u],
    ['an underscore', 'my_vm', /"_" at character 2/u],
    ['a dot', 'vm.1', /"\." at character 2/u],
    ['a space', 'my vm', /" " at character 2/u],
    ['a slash', 'a/b', /"\/" at character 1/u],
    ['an emoji', 'vm🔥', /"🔥" at character 2/u],
    ['a combining accent (not Alphabetic in Unicode)', 'e\u0301', /at character 1/u],
    ['a lone surrogate', 'a\uD800', /at character 1/u],
    ['a NUL', 'a\0', /at character 1/u],
    ['a leading "--" (the next flag to Firecracker)', '--no-seccomp', /may not start with "--"/u],
  ])('rejects %s', (_name, id, rule) => {
    expect(findVmmIdProblem(id)).toMatch(rule);
    expect(isVmmId(id)).toBe(false);
    const error = catchVmmCoreError(() => parseVmmId(id, 'options.id'));
    expect(error.code).toBe('ERR_INVALID_INPUT');
    expect(error.message).toMatch(/^options\.id: /u);
    expect(error.message).toMatch(rule);
    expect(error.message).toContain(`got ${JSON.stringify(id).slice(0, 20)}`);
  });

  it('checks the length before the characters, as Firecracker does', () => {
    expect(findVmmIdProblem('_'.repeat(VMM_ID_MAX_BYTES + 1))).toMatch(/bytes of UTF-8/u);
  });

  it('rejects values that are not strings', () => {
    expect(isVmmId(42)).toBe(false);
    const error = catchVmmCoreError(() => parseVmmId(42));
    expect(error.code).toBe('ERR_INVALID_INPUT');
    expect(error.message).toMatch(/^id: .*expected string.*got 42/u);
  });

  it('brands parsed ids through the schema and names the default id', () => {
    expect(vmmIdSchema.parse('vm-1')).toBe('vm-1');
    expect(isVmmId(DEFAULT_VMM_ID)).toBe(true);
  });
});
