// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createInputParser, describeValue, MAX_TIMER_MS } from '@kindling/helpers';
import { z } from 'zod';
import { ProcessError } from './errors.js';

const createInputError = (message: string, options?: ErrorOptions): ProcessError =>
  new ProcessError('ERR_INVALID_INPUT', message, options);

/** Parses one option with its schema, or throws `ERR_INVALID_INPUT`: `name: rule, got value`. */
export const parseOption = createInputParser(createInputError);

/** Throws `ERR_INVALID_INPUT` naming the option, the rule and the value. */
export const failOption = (name: string, rule: string, value: unknown): never => {
  throw createInputError(`${name}: expected ${rule}, got ${describeValue(value)}`);
};

const TIMEOUT_RULE = `expected a positive integer up to ${MAX_TIMER_MS} (milliseconds) or Infinity`;
const timeoutMsSchema = z
  .number({ error: TIMEOUT_RULE })
  .refine(
    (value) =>
      value === Number.POSITIVE_INFINITY ||
      (Number.isInteger(value) && value > 0 && value <= MAX_TIMER_MS),
    { error: TIMEOUT_RULE },
  );
const signalSchema = z.instanceof(AbortSignal, { error: 'expected an AbortSignal' }).optional();
const absolutePathsSchema = z.array(
  z
    .string({ error: 'expected an absolute path' })
    .refine((value) => value.startsWith('/') && !value.includes('\0'), {
      error: 'expected an absolute path without NUL bytes',
    }),
  { error: 'expected an array of absolute paths' },
);
const nonEmptyStringSchema = z
  .string({ error: 'expected a non-empty string' })
  .min(1, { error: 'expected a non-empty string' });

/**
 * Resolves a timeout option: a positive integer number of milliseconds up to `MAX_TIMER_MS`, or
 * `Infinity` to wait without one; `undefined` gives `fallback`.
 */
export const resolveTimeoutMs = (name: string, value: unknown, fallback: number): number => {
  if (value === undefined) {
    return fallback;
  }
  // The valid values are checked by hand: these checks run on every API call and every step,
  // and a zod parse costs microseconds each time. Anything else goes to the schema for its error.
  if (
    typeof value === 'number' &&
    (value === Number.POSITIVE_INFINITY ||
      (Number.isInteger(value) && value > 0 && value <= MAX_TIMER_MS))
  ) {
    return value;
  }
  return parseOption(timeoutMsSchema, value, name);
};

/** A resolved timeout as a timer can take it: `Infinity` becomes the longest timer Node arms. */
export const timerMs = (timeoutMs: number): number => Math.min(timeoutMs, MAX_TIMER_MS);

/** Resolves an optional `AbortSignal` option. */
export const resolveSignal = (name: string, value: unknown): AbortSignal | undefined =>
  value === undefined || value instanceof AbortSignal
    ? value
    : parseOption(signalSchema, value, name);

/** Resolves a required non-empty string option. */
export const resolveNonEmptyString = (name: string, value: unknown): string =>
  typeof value === 'string' && value !== ''
    ? value
    : parseOption(nonEmptyStringSchema, value, name);

/** Resolves a list of absolute host paths. */
export const resolveAbsolutePaths = (name: string, value: unknown): string[] =>
  parseOption(absolutePathsSchema, value, name);
