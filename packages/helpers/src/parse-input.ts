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

// A hostile input must not make a message of megabytes (a string spread into an options object
// has a key per character: 90 000 keys made a 17 MB message in 1.8 s): the first problems are
// named, the rest counted.
const MAX_LINES = 20;
const MAX_UNKNOWN_KEYS_NAMED = 5;

const linesOfIssue = (
  subject: string,
  issue: z.core.$ZodIssue,
  schema: z.ZodType | undefined,
): string[] => {
  const where = describePath(subject, issue.path);
  // A schema's own message for unknown keys (a wire model's) stands; zod's default gets the hint.
  if (issue.code === 'unrecognized_keys' && issue.message.startsWith('Unrecognized key')) {
    const allowed = schema === undefined ? undefined : allowedKeysAt(schema, issue.path);
    // Named in full, however long: a message names the field it refuses.
    const named = issue.keys
      .slice(0, MAX_UNKNOWN_KEYS_NAMED)
      .map((key) => describeUnknownKey(`${where}.${key}`, key, allowed));
    const more = issue.keys.length - named.length;
    return more > 0 ? [...named, `${where}: ${more} more unknown keys`] : named;
  }
  return [`${where}: ${issue.message}, got ${shownValue(issue)}`];
};

/**
 * One line per issue: `subject.path: rule, got value`; an unknown key gets its own line naming the
 * key it most likely meant (`options.timeout: unknown key; did you mean timeoutMs?`). At most 20
 * lines (5 unknown keys per object), then how many more problems there are.
 */
export const describeIssues = (
  subject: string,
  issues: readonly z.core.$ZodIssue[],
  schema?: z.ZodType,
): string => {
  const lines: string[] = [];
  let index = 0;
  for (; index < issues.length && lines.length < MAX_LINES; index += 1) {
    lines.push(...linesOfIssue(subject, issues[index] as z.core.$ZodIssue, schema));
  }
  const unnamed = issues.length - index + Math.max(0, lines.length - MAX_LINES);
  const shown = lines.slice(0, MAX_LINES);
  return (unnamed > 0 ? [...shown, `${subject}: ${unnamed} more problems`] : shown).join('\n');
};

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
