// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { VmmCoreError } from '../errors.js';
import { parseWithSchema } from '../validation.js';
import { apiResourceIdSchema } from './resource-id.js';

const rejectionOf = (value: unknown): VmmCoreError => {
  try {
    parseWithSchema(apiResourceIdSchema, value, 'drive_id');
  } catch (error) {
    if (error instanceof VmmCoreError) {
      return error;
    }
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
};

describe('apiResourceIdSchema', () => {
  it.each([
    ['ASCII letters and digits', 'rootfs1'],
    ['an underscore', 'root_fs'],
    ['only an underscore', '_'],
    ['a Latin letter with an accent', 'disque_é'],
    ['CJK ideographs', '日本'],
    ['Arabic-Indic digits (Nd)', '٣٤'],
    ['a Roman numeral (Nl)', 'Ⅻ'],
    ['a vulgar fraction (No)', '½'],
    ['a long id (Firecracker sets no length limit)', 'a'.repeat(500)],
  ])('accepts %s', (_name, id) => {
    expect(parseWithSchema(apiResourceIdSchema, id, 'drive_id')).toBe(id);
  });

  it.each([
    ['a hyphen', 'root-fs', '"-" is not allowed'],
    ['a dot', 'eth0.1', 'only Unicode letters, digits and "_"'],
    ['a space', 'a b', 'only Unicode letters, digits and "_"'],
    ['a slash', 'a/b', 'only Unicode letters, digits and "_"'],
    ['a percent-encoded character', 'disque_%C3%A9', 'only Unicode letters, digits and "_"'],
    ['an emoji', 'vm🔥', 'only Unicode letters, digits and "_"'],
    ['a combining accent (not Alphabetic)', 'e\u0301', 'only Unicode letters, digits and "_"'],
  ])('rejects %s', (_name, id, rule) => {
    const error = rejectionOf(id);
    expect(error.code).toBe('ERR_INVALID_INPUT');
    expect(error.message).toContain('drive_id: must contain');
    expect(error.message).toContain(rule);
    expect(error.message).toContain(`got ${JSON.stringify(id)}`);
  });

  it('rejects an empty id with one message, Firecracker\'s "The ID cannot be empty."', () => {
    expect(rejectionOf('').message).toBe(
      'drive_id: must not be empty (Firecracker: "The ID cannot be empty."), got ""',
    );
  });

  it.each([
    ['a number', 7, 'drive_id: expected a resource id string, got 7'],
    ['nothing', undefined, 'drive_id: is required: expected a resource id string, got nothing'],
  ])('rejects %s', (_name, value, message) => {
    expect(rejectionOf(value).message).toBe(message);
  });
});
