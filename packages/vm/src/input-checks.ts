// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { describeUnknownKey, describeValue, MAX_TIMER_MS, parseInput } from '@kindling/helpers';
import type { parseWithSchema } from '@kindling/vmm-core';
import { VmError } from './errors.js';

/** The code an input check throws, for a configuration and a method's argument alike. */
export type InputErrorCode = 'ERR_INVALID_INPUT';

/** Something `parseWithSchema` accepts: one of the vmm-core API models. */
export type WireSchema = Parameters<typeof parseWithSchema>[0];

/** What a vmm-core API model parses a body into. */
export type WireOutput<Schema extends WireSchema> = ReturnType<typeof parseWithSchema<Schema>>;

// Every layer's checks share these; re-exported so the checks here stay one import for vm's files.
export { describeValue, MAX_TIMER_MS };

/** Throws the input error `code` for `subject`: `subject: rule, got value`. */
export const failInput = (
  code: InputErrorCode,
  subject: string,
  rule: string,
  value: unknown,
): never => {
  throw new VmError(code, `${subject}: ${rule}, got ${describeValue(value)}`);
};

/**
 * Parses a Firecracker body with its vmm-core model, or throws `code` naming every bad field, its
 * value and the rule, zod's error as cause.
 */
export const parseWire = <Schema extends WireSchema>(
  schema: Schema,
  value: unknown,
  subject: string,
  code: InputErrorCode,
): WireOutput<Schema> =>
  parseInput(schema, value, subject, (message, options) => new VmError(code, message, options));

/** Whether a value is a plain object (not an array, not null). */
export const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks that `value` is a plain object whose keys are all in `allowed`; an unknown key is
 * refused, with the allowed key it most likely meant (`boot-source` → `bootSource`).
 */
export const checkOptionObject = (
  value: unknown,
  allowed: readonly string[],
  subject: string,
  code: InputErrorCode,
  aliases: Readonly<Record<string, string>> = {},
): Readonly<Record<string, unknown>> => {
  if (!isPlainObject(value)) {
    return failInput(code, subject, 'expected an object', value);
  }
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) {
      continue;
    }
    throw new VmError(code, describeUnknownKey(`${subject}.${key}`, key, allowed, aliases));
  }
  return value;
};

/** Checks an absolute path without NUL characters. */
export const checkAbsolutePath = (value: unknown, subject: string, code: InputErrorCode): string =>
  typeof value === 'string' && path.isAbsolute(value) && !value.includes('\0')
    ? value
    : failInput(code, subject, 'expected an absolute path', value);

/** Checks an optional boolean. */
export const checkOptionalBoolean = (
  value: unknown,
  subject: string,
  code: InputErrorCode,
): boolean | undefined =>
  value === undefined || typeof value === 'boolean'
    ? value
    : failInput(code, subject, 'expected true or false', value);

/** Checks an array and returns its items. */
export const checkArray = (value: unknown, subject: string, code: InputErrorCode): unknown[] =>
  Array.isArray(value) ? value : failInput(code, subject, 'expected an array', value);

/**
 * Drops `null` fields, recursively: serde reads `null` and an omitted field alike, and Kindling
 * sends neither `null` nor unset keys. Never apply it to MMDS data, whose nulls are the user's.
 */
export const dropNulls = <Value>(value: Value): Value => {
  if (Array.isArray(value)) {
    return value.map((item: unknown) => dropNulls(item)) as Value;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== null && item !== undefined)
      .map(([key, item]) => [key, dropNulls(item)] as const);
    return Object.fromEntries(entries) as Value;
  }
  return value;
};

/** Whether a value is an object with each of these methods. */
export const hasMethods = (value: unknown, methods: readonly string[]): boolean =>
  typeof value === 'object' &&
  value !== null &&
  methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');

/** Checks an optional timeout: a positive integer of milliseconds, or `Infinity`. */
export const checkTimeoutMs = (value: unknown, subject: string): number | undefined => {
  if (
    value === undefined ||
    value === Number.POSITIVE_INFINITY ||
    (Number.isInteger(value) && (value as number) > 0 && (value as number) <= MAX_TIMER_MS)
  ) {
    return value as number | undefined;
  }
  return failInput(
    'ERR_INVALID_INPUT',
    subject,
    `expected a positive integer up to ${MAX_TIMER_MS} (milliseconds) or Infinity`,
    value,
  );
};

/** Checks an optional `AbortSignal`. */
export const checkSignal = (value: unknown, subject: string): AbortSignal | undefined =>
  value === undefined || value instanceof AbortSignal
    ? value
    : failInput('ERR_INVALID_INPUT', subject, 'expected an AbortSignal', value);

// chown(2) reads (uid_t)-1 as "leave unchanged", so the largest usable id is 2^32 - 2.
const MAX_ID = 4_294_967_294;

/** Checks an optional `{ uid, gid }` pair a file is given to. */
export const checkOptionalOwner = (
  value: unknown,
  subject: string,
): { readonly uid: number; readonly gid: number } | undefined => {
  if (value === undefined) {
    return undefined;
  }
  if (!isPlainObject(value)) {
    return failInput('ERR_INVALID_INPUT', subject, 'expected an object { uid, gid }', value);
  }
  const checked = checkOptionObject(value, ['uid', 'gid'], subject, 'ERR_INVALID_INPUT');
  const id = (key: 'uid' | 'gid'): number => {
    const item = checked[key];
    return Number.isInteger(item) && (item as number) >= 0 && (item as number) <= MAX_ID
      ? (item as number)
      : failInput(
          'ERR_INVALID_INPUT',
          `${subject}.${key}`,
          `expected an integer from 0 to ${MAX_ID}`,
          item,
        );
  };
  return { uid: id('uid'), gid: id('gid') };
};
