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

/** A `timeoutMs` option: a positive integer no larger than setTimeout accepts. */
export const timeoutMsSchema = millisecondsSchema(
  1,
  MAX_TIMER_MS,
  `expected a positive integer of milliseconds up to ${MAX_TIMER_MS}`,
);
