// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { loggerSchema } from './logger.js';

const accepts = (value: unknown): boolean => loggerSchema.safeParse(value).success;

describe('loggerSchema', () => {
  it('accepts an empty body and every field', () => {
    expect(loggerSchema.parse({})).toEqual({});
    const full = {
      log_path: '/tmp/fc.log',
      level: 'Debug',
      show_level: true,
      show_log_origin: false,
      module: 'api_server::request',
    };
    expect(loggerSchema.parse(full)).toEqual(full);
  });

  it.each([
    'Off',
    'Trace',
    'Debug',
    'Info',
    'Warn',
    'Warning',
    'Error',
    'info',
    'WARNING',
    'eRrOr',
  ])('accepts the level %s (case-insensitive, as Firecracker reads it)', (level) => {
    expect(loggerSchema.parse({ level })).toEqual({ level });
  });

  it.each(['Verbose', 'Information', '', 'Info '])('rejects the level %j', (level) => {
    const issue = loggerSchema.safeParse({ level }).error?.issues[0];
    expect(issue?.path).toEqual(['level']);
    expect(issue?.message).toContain('Invalid LevelFilter');
  });

  it('rejects level null, since Firecracker reads the level as a string', () => {
    expect(accepts({ level: null })).toBe(false);
    expect(accepts({ log_path: null, show_level: null })).toBe(true);
  });

  it('rejects an unknown field', () => {
    expect(accepts({ log_level: 'Info' })).toBe(false);
  });
});
