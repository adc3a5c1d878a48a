// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { parseWithSchema, VmmCoreError } from '@kindling/vmm-core';
import { z } from 'zod';
import { ExecutorError } from './errors.js';

/**
 * Parses options with a schema, or throws `ERR_INVALID_OPTION` with vmm-core's message: one line
 * per issue, `subject.path: rule, got value`.
 */
export const parseOptions = <Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  subject: string,
): z.output<Schema> => {
  try {
    return parseWithSchema(schema, value, subject);
  } catch (error) {
    if (error instanceof VmmCoreError && error.code === 'ERR_INVALID_INPUT') {
      throw new ExecutorError('ERR_INVALID_OPTION', error.message, { cause: error });
    }
    throw error;
  }
};

/** A strict object of options: a misspelt option is refused rather than silently ignored. */
export const optionsObject = <Shape extends z.ZodRawShape>(
  shape: Shape,
  what = 'an options object',
) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown option${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}: check the spelling`
        : `expected ${what}`,
  });

/**
 * An instance of a class, recognised by duck type as well, so that two installed copies of
 * vmm-core (two `VmmArguments` classes) still work together.
 */
export const instanceSchema = <T extends object>(
  type: abstract new (...args: never[]) => T,
  name: string,
  probe: string,
) =>
  z.custom<T>(
    (value) =>
      value instanceof type || (typeof value === 'object' && value !== null && probe in value),
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
