// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { isKindlingError } from '@kindling/spawner';
import { parseWithSchema } from '@kindling/vmm-core';
import { VmError } from './errors.js';

/** The codes an input check throws: a configuration, or a method's argument. */
export type InputErrorCode = 'ERR_INVALID_CONFIGURATION' | 'ERR_INVALID_ARGUMENT';

/** Something `parseWithSchema` accepts: one of the vmm-core API models. */
export type WireSchema = Parameters<typeof parseWithSchema>[0];

/** What a vmm-core API model parses a body into. */
export type WireOutput<Schema extends WireSchema> = ReturnType<typeof parseWithSchema<Schema>>;

const MAX_SHOWN = 60;
/** The longest delay `setTimeout` honours; it turns anything longer into 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Shows a value in a message, briefly: values can be MMDS payloads or secrets. */
export const describeValue = (value: unknown): string => {
  if (value === undefined) {
    return 'nothing';
  }
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    return `a ${typeof value}`;
  }
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
};

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
 * Parses a Firecracker body with its vmm-core model, or throws `code` with the model's message
 * (every bad field, its value and the rule), the model's error as cause.
 */
export const parseWire = <Schema extends WireSchema>(
  schema: Schema,
  value: unknown,
  subject: string,
  code: InputErrorCode,
): WireOutput<Schema> => {
  try {
    return parseWithSchema(schema, value, subject);
  } catch (error) {
    if (isKindlingError(error)) {
      throw new VmError(code, error.message, { cause: error });
    }
    throw error;
  }
};

/** Whether a value is a plain object (not an array, not null). */
export const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const normaliseKey = (key: string): string => key.toLowerCase().replaceAll(/[-_]/gu, '');

// Levenshtein distance, for typos; keys are short, so the quadratic table is cheap.
const countEdits = (from: string, to: string): number => {
  let previous = Array.from({ length: to.length + 1 }, (_, index) => index);
  // Option names are ASCII: indexing by UTF-16 unit is exact.
  for (let row = 0; row < from.length; row += 1) {
    const fromChar = from[row];
    const current = [row + 1];
    for (let column = 0; column < to.length; column += 1) {
      const toChar = to[column];
      current.push(
        Math.min(
          (previous[column + 1] ?? 0) + 1,
          (current[column] ?? 0) + 1,
          (previous[column] ?? 0) + (fromChar === toChar ? 0 : 1),
        ),
      );
    }
    previous = current;
  }
  return previous[to.length] ?? 0;
};

// The same key in another case or spelling (`boot_source`), one that starts the other (`timeout`
// for `timeoutMs`, `machineConfiguration` for `machineConfig`), or a typo (`excutor`).
const findMeantKey = (key: string, allowed: readonly string[]): string | undefined => {
  const wanted = normaliseKey(key);
  return (
    allowed.find((candidate) => normaliseKey(candidate) === wanted) ??
    allowed.find((candidate) => {
      const known = normaliseKey(candidate);
      return (
        Math.min(known.length, wanted.length) >= 4 &&
        (known.startsWith(wanted) || wanted.startsWith(known))
      );
    }) ??
    allowed.find(
      (candidate) => wanted.length >= 4 && countEdits(normaliseKey(candidate), wanted) <= 2,
    )
  );
};

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
    const meant = aliases[key] ?? findMeantKey(key, allowed);
    throw new VmError(
      code,
      meant === undefined
        ? `${subject}.${key}: unknown option; the options here are ${allowed.join(', ')}`
        : `${subject}.${key}: unknown option; did you mean ${meant}?`,
    );
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
    'ERR_INVALID_ARGUMENT',
    subject,
    `expected a positive integer up to ${MAX_TIMER_MS} (milliseconds) or Infinity`,
    value,
  );
};

/** Checks an optional `AbortSignal`. */
export const checkSignal = (value: unknown, subject: string): AbortSignal | undefined =>
  value === undefined || value instanceof AbortSignal
    ? value
    : failInput('ERR_INVALID_ARGUMENT', subject, 'expected an AbortSignal', value);
