// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { ProcessError } from './errors.js';

const describe = (value: unknown): string => {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  return typeof value === 'number' || typeof value === 'boolean' || value === null
    ? String(value)
    : typeof value;
};

/** Throws `ERR_INVALID_OPTION` naming the option, the rule and the value. */
export const failOption = (name: string, rule: string, value: unknown): never => {
  throw new ProcessError('ERR_INVALID_OPTION', `${name}: expected ${rule}, got ${describe(value)}`);
};

/** The longest delay setTimeout honours; it turns anything longer into 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Resolves a timeout option: a positive integer number of milliseconds up to `MAX_TIMER_MS`, or
 * `Infinity` to wait without one; `undefined` gives `fallback`.
 */
export const resolveTimeoutMs = (name: string, value: unknown, fallback: number): number => {
  if (value === undefined) {
    return fallback;
  }
  if (
    value === Number.POSITIVE_INFINITY ||
    (Number.isInteger(value) && (value as number) > 0 && (value as number) <= MAX_TIMER_MS)
  ) {
    return value as number;
  }
  return failOption(
    name,
    `a positive integer up to ${MAX_TIMER_MS} (milliseconds) or Infinity`,
    value,
  );
};

/** Resolves an optional `AbortSignal` option. */
export const resolveSignal = (name: string, value: unknown): AbortSignal | undefined =>
  value === undefined || value instanceof AbortSignal
    ? value
    : failOption(name, 'an AbortSignal', value);

/** Resolves a required non-empty string option. */
export const resolveNonEmptyString = (name: string, value: unknown): string =>
  typeof value === 'string' && value !== '' ? value : failOption(name, 'a non-empty string', value);
