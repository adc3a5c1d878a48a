// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import { describeUnknownKey } from './closest-key.js';
import { describeValue } from './describe-value.js';

/** Makes a layer's own error (its class, code `ERR_INVALID_INPUT`) from a message and a cause. */
export type InputErrorFactory = (message: string, options: ErrorOptions) => Error;

/** `subject.path`: a key as `.key`, an index as `[index]`. */
export const describePath = (subject: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    subject,
  );

// The parts of a zod schema's definition that lead to the object schema at a path.
interface SchemaInternals {
  readonly def?: {
    readonly type?: string;
    readonly shape?: Readonly<Record<string, unknown>>;
    readonly innerType?: unknown;
    readonly element?: unknown;
    readonly valueType?: unknown;
    readonly in?: unknown;
    readonly getter?: () => unknown;
  };
}

// The schema one step inside `schema`, through wrappers (optional, default, pipe, lazy, …).
const unwrap = (schema: unknown): unknown => {
  for (let depth = 0; depth < 16; depth += 1) {
    const def = (schema as SchemaInternals | undefined)?.def;
    const inner = def?.innerType ?? def?.in ?? def?.getter?.();
    if (inner === undefined) {
      return schema;
    }
    schema = inner;
  }
  return schema;
};

// The keys an object schema at `path` allows; undefined where the schema cannot be followed.
const allowedKeysAt = (schema: unknown, path: readonly PropertyKey[]): string[] | undefined => {
  let current = unwrap(schema);
  for (const key of path) {
    const def = (current as SchemaInternals | undefined)?.def;
    const next =
      def?.type === 'object'
        ? def.shape?.[String(key)]
        : def?.type === 'array'
          ? def.element
          : def?.type === 'record'
            ? def.valueType
            : undefined;
    if (next === undefined) {
      return undefined;
    }
    current = unwrap(next);
  }
  const def = (current as SchemaInternals | undefined)?.def;
  return def?.type === 'object' && def.shape !== undefined ? Object.keys(def.shape) : undefined;
};

// A custom issue may say how to show its value (`params.shown`): a secret is never echoed.
const shownValue = (issue: z.core.$ZodIssue): string => {
  const shown: unknown = issue.code === 'custom' ? issue.params?.['shown'] : undefined;
  return typeof shown === 'string' ? shown : describeValue(issue.input);
};

/**
 * One line per issue: `subject.path: rule, got value`; an unknown key gets its own line naming the
 * key it most likely meant (`options.timeout: unknown key; did you mean timeoutMs?`).
 */
export const describeIssues = (
  subject: string,
  issues: readonly z.core.$ZodIssue[],
  schema?: z.ZodType,
): string =>
  issues
    .flatMap((issue) => {
      const where = describePath(subject, issue.path);
      // A schema's own message for unknown keys (a wire model's) stands; zod's default gets the hint.
      if (issue.code === 'unrecognized_keys' && issue.message.startsWith('Unrecognized key')) {
        const allowed = schema === undefined ? undefined : allowedKeysAt(schema, issue.path);
        return issue.keys.map((key) => describeUnknownKey(`${where}.${key}`, key, allowed));
      }
      return [`${where}: ${issue.message}, got ${shownValue(issue)}`];
    })
    .join('\n');

/**
 * Parses `value` with `schema`, or throws the error `createError` makes (the layer's own class,
 * code `ERR_INVALID_INPUT`) with one line per bad field, prefixed by `subject`, zod's error as cause.
 */
export const parseInput = <Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  subject: string,
  createError: InputErrorFactory,
): z.output<Schema> => {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) {
    return result.data;
  }
  throw createError(describeIssues(subject, result.error.issues, schema), { cause: result.error });
};

/** `parseInput` bound to one layer's error: what each layer exports or uses as its parser. */
export type InputParser = <Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  subject: string,
) => z.output<Schema>;

/** Binds `parseInput` to the error `createError` makes (the layer's class, `ERR_INVALID_INPUT`). */
export const createInputParser =
  (createError: InputErrorFactory): InputParser =>
  (schema, value, subject) =>
    parseInput(schema, value, subject, createError);
