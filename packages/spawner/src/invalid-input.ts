// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { SpawnError } from './spawn-error.js';

// Arguments can carry secrets: show only a short, single-line glimpse of a bad value.
const MAX_VALUE_TEXT = 60;

/** Describes a value for an error message: JSON when possible, cut to a short glimpse. */
export const describeValue = (value: unknown): string => {
  if (value === undefined) {
    return 'nothing';
  }
  if (typeof value === 'function') {
    return 'a function';
  }
  if (typeof value === 'symbol') {
    return value.toString();
  }
  if (typeof value === 'bigint') {
    return `${value}n`;
  }
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT)}…` : text;
};

/** Creates the `ERR_INVALID_INPUT` error for one field: `field: rule, got value`. */
export const createInvalidInputError = (field: string, rule: string, got: string): SpawnError =>
  new SpawnError('ERR_INVALID_INPUT', `${field}: ${rule}, got ${got}`);
