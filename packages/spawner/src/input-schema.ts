// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createInputParser } from '@kindling/helpers';
import { z } from 'zod';
import { SpawnError } from './spawn-error.js';

/**
 * Parses a value with its schema, or throws `SpawnError` `ERR_INVALID_INPUT`:
 * `subject.path: rule, got value`, one line per issue.
 */
export const parseSpawnInput = createInputParser(
  (message, options) => new SpawnError('ERR_INVALID_INPUT', message, options),
);

// The kernel takes NUL-terminated strings: a NUL byte would silently cut an argument short.
const hasNul = (text: string): boolean => text.includes('\0');

/** A string without NUL bytes (and not empty unless `allowEmpty`); every failure says `rule`. */
export const textSchema = (allowEmpty: boolean) => {
  const rule = allowEmpty
    ? 'expected a string without NUL bytes'
    : 'expected a non-empty string without NUL bytes';
  return z
    .string({ error: rule })
    .min(allowEmpty ? 0 : 1, { error: rule })
    .refine((text) => !hasNul(text), { error: rule });
};
