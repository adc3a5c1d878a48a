// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { parseInput } from './errors.js';
import { guestPathSchema, millisecondsSchema } from './exec-options.js';

const timeoutSchema = millisecondsSchema;

const callShape = {
  /** How long the call may take (default 30 000 ms for a file operation, 10 minutes for a transfer). */
  timeoutMs: timeoutSchema.optional(),
  /** Aborting fails the call with the signal's reason; a transfer leaves nothing behind. */
  signal: z.instanceof(AbortSignal, { error: 'expected an AbortSignal' }).optional(),
};

const strict = <Shape extends z.core.$ZodLooseShape>(shape: Shape) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? undefined : 'expected an options object',
  });

const callOptionsSchema = strict(callShape);
const removeOptionsSchema = strict({
  ...callShape,
  /** Remove a folder and everything in it (default false: a folder must be empty). */
  recursive: z.boolean({ error: 'expected true or false' }).optional(),
});
const modeRule = 'expected permission bits from 0 to 0o7777';
const mkdirOptionsSchema = strict({
  ...callShape,
  /** Make missing parents too; an existing folder is then fine (default false). */
  recursive: z.boolean({ error: 'expected true or false' }).optional(),
  /** The new folder's permission bits (default 0o755, before the agent's umask). */
  mode: z
    .number({ error: modeRule })
    .int({ error: modeRule })
    .min(0, { error: modeRule })
    .max(0o7777, { error: modeRule })
    .optional(),
});

/**
 * What every file call takes: `timeoutMs` and `signal`.
 *
 * @interface
 */
export type FileCallOptions = z.input<typeof callOptionsSchema>;
/**
 * What `remove()` takes.
 *
 * @interface
 */
export type RemoveOptions = z.input<typeof removeOptionsSchema>;
/**
 * What `mkdir()` takes.
 *
 * @interface
 */
export type MkdirOptions = z.input<typeof mkdirOptionsSchema>;

/** The default bound of stat, list, remove and mkdir. */
export const FILE_CALL_TIMEOUT_MS = 30_000;
/** The default bound of a push or a pull (100 MB moves in seconds; a slow disk is not a hang). */
export const TRANSFER_TIMEOUT_MS = 600_000;

/** Checks a guest path and a file call's options. */
export const resolveFileCall = <Schema extends z.ZodType>(
  schema: Schema,
  guestPath: unknown,
  options: unknown,
): { readonly path: string; readonly options: z.output<Schema> } => ({
  path: parseInput(guestPathSchema, guestPath, 'guestPath'),
  options: parseInput(schema, options ?? {}, 'options'),
});

export { callOptionsSchema, mkdirOptionsSchema, removeOptionsSchema };
