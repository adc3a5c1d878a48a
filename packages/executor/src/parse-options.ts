// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createInputParser, MAX_TIMER_MS } from '@kindling/helpers';
import { z } from 'zod';
import { ExecutorError } from './errors.js';

/**
 * Parses options with a schema, or throws `ExecutorError` `ERR_INVALID_INPUT` with one line per
 * issue, `subject.path: rule, got value` (an unknown option names the one it most likely meant).
 */
export const parseOptions = createInputParser(
  (message, options) => new ExecutorError('ERR_INVALID_INPUT', message, options),
);

/** A strict object of options: a misspelt option is refused rather than silently ignored. */
export const optionsObject = <Shape extends z.ZodRawShape>(
  shape: Shape,
  what = 'an options object',
) =>
  z.strictObject(shape, {
    // Unknown keys keep zod's own issue, which parseOptions turns into a "did you mean" line.
    error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : `expected ${what}`),
  });

/** What a member of a duck-typed instance must be: a method, an object (arrays too) or a string. */
export type MemberKind = 'function' | 'object' | 'string';

const hasMembers = (value: object, members: Readonly<Record<string, MemberKind>>): boolean =>
  Object.entries(members).every(([key, kind]) => {
    const member = (value as Record<string, unknown>)[key];
    return kind === 'object'
      ? typeof member === 'object' && member !== null
      : typeof member === kind;
  });

/**
 * An instance of a class, recognised by duck type as well, so that two installed copies of
 * vmm-core (two `VmmArguments` classes) still work together. The duck must have every member the
 * executors use, of its kind: an object that merely has the key would fail later with a TypeError.
 */
export const instanceSchema = <T extends object>(
  type: abstract new (...args: never[]) => T,
  name: string,
  members: Readonly<Record<string, MemberKind>>,
) =>
  z.custom<T>(
    (value) =>
      value instanceof type ||
      (typeof value === 'object' && value !== null && hasMembers(value, members)),
    { error: `expected a ${name}` },
  );

/** An object with a method of this name, such as a `ProcessSpawner` (`spawn`); `rule` says so. */
export const methodHolderSchema = <T extends object>(method: string, rule: string) =>
  z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Record<string, unknown>)[method] === 'function',
    { error: rule },
  );

/** A timeout or interval in milliseconds: an integer from `min` to `max`. */
export const millisecondsSchema = (min: number, max: number, rule: string) =>
  z
    .number({ error: rule })
    .int({ error: rule })
    .min(min, { error: rule })
    .max(max, { error: rule });

/** A `timeoutMs` option: a positive integer no larger than setTimeout accepts. */
export const timeoutMsSchema = millisecondsSchema(
  1,
  MAX_TIMER_MS,
  `expected a positive integer of milliseconds up to ${MAX_TIMER_MS}`,
);

const signalSchema = z.instanceof(AbortSignal, { error: 'expected an AbortSignal' }).optional();

/** The options of `prepare` and `cleanup`: an optional signal. */
export const stepOptionsSchema = optionsObject({ signal: signalSchema }).default({});

/** The options of `invoke`: a `--config-file` path as the VMM sees it, and a signal. */
export const invokeOptionsSchema = optionsObject({
  configPath: z.string({ error: 'expected a path string' }).optional(),
  signal: signalSchema,
}).default({});
