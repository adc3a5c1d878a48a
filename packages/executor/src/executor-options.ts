// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { StdioMode } from '@kindling/spawner';
import { type CommandModifier, VmmArguments } from '@kindling/vmm-core';
import { z } from 'zod';
import {
  instanceSchema,
  methodHolderSchema,
  optionsObject,
  parseOptions,
} from './parse-options.js';

// zod's .readonly() freezes the input before checking it, so a typed array given where an array
// belongs throws a TypeError ("Cannot freeze array buffer views") instead of an issue: freeze the
// checked copy instead, typed as .readonly() would be.
const readonlyList = <Schema extends z.ZodArray>(schema: Schema): z.ZodReadonly<Schema> =>
  schema.transform((list) => Object.freeze(list)) as unknown as z.ZodReadonly<Schema>;

const STDIO_RULE = "expected 'pipe', 'ignore', 'inherit' or an object of them per stream";

const stdioModeSchema = z.enum(['pipe', 'ignore', 'inherit'] satisfies StdioMode[], {
  error: STDIO_RULE,
});

const stdioSchema = z.union(
  [
    stdioModeSchema,
    z.strictObject({
      stdin: stdioModeSchema.exactOptional(),
      stdout: stdioModeSchema.exactOptional(),
      stderr: stdioModeSchema.exactOptional(),
    }),
  ],
  { error: STDIO_RULE },
);

/** The fields both executors' option schemas share. */
export const commonExecutorOptionsShape = {
  /** The `firecracker` command line; `--config-file` is set by `invoke`. */
  vmmArguments: instanceSchema(VmmArguments, 'VmmArguments', {
    options: 'object',
    resources: 'object',
    toArgs: 'function',
    with: 'function',
  }),
  /** Rewrite the command before it is spawned, in order (e.g. `NetnsModifier`). */
  commandModifiers: readonlyList(
    z.array(
      methodHolderSchema<CommandModifier>(
        'apply',
        'expected a CommandModifier (an object with an apply method)',
      ),
      {
        error: 'expected an array of CommandModifier',
      },
    ),
  ).default([]),
  /** How the process's standard streams are connected (default `'pipe'`: readable from the handle). */
  stdio: stdioSchema.default('pipe'),
};

const commonExecutorOptionsSchema = optionsObject(commonExecutorOptionsShape);

/**
 * The options both executors share.
 *
 * @interface
 */
export type CommonExecutorOptions = z.input<typeof commonExecutorOptionsSchema>;

/**
 * `CommonExecutorOptions` after checks and defaults.
 *
 * @interface
 */
export type ResolvedCommonExecutorOptions = Readonly<z.output<typeof commonExecutorOptionsSchema>>;

/** Checks the options both executors share, naming the executor in every message. */
export const resolveCommonOptions = (
  executor: string,
  options: CommonExecutorOptions,
): ResolvedCommonExecutorOptions => parseOptions(commonExecutorOptionsSchema, options, executor);
