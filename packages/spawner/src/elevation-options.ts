// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describeValue, MAX_TIMER_MS } from '@kindling/helpers';
import { z } from 'zod';
import { parseSpawnInput, textSchema } from './input-schema.js';
import { createInvalidInputError } from './invalid-input.js';
import type { ResolvedSpawnRequest } from './spawn-options.js';

/** What `SudoSpawner` and `SuSpawner` share: who to become, how, and how long to wait. */
export interface ElevationOptions {
  /**
   * The password to answer the prompt with. It is written to the elevator's stdin only when sudo or
   * su actually asks, so it never reaches the command. Without it, a prompt fails fast.
   */
  readonly password?: string;
  /** The user to run as (default `root`). */
  readonly user?: string;
  /** How long sudo or su may take to start the command, password check included (default 10 s). */
  readonly startTimeoutMs?: number;
}

/** Elevation options after validation and defaults. */
export interface ResolvedElevationOptions {
  readonly password: string | undefined;
  readonly user: string;
  readonly binary: string;
  readonly startTimeoutMs: number;
}

const DEFAULT_START_TIMEOUT_MS = 10_000;
// Portable user names (POSIX), plus sudo's `#uid`; a leading `-` would read as an option.
const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/u;
const SUDO_USER_ID = /^#\d+$/u;
// The wrapper exports each variable with the shell's `export`, which takes only these names.
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/u;

// Never echo a password, not even a glimpse of it.
const passwordSchema = z.unknown().superRefine((password, context) => {
  if (typeof password !== 'string') {
    context.addIssue({
      code: 'custom',
      message: 'expected a string',
      input: password,
      params: { shown: `a value of type ${typeof password}` },
    });
  } else if (/[\n\r\0]/u.test(password)) {
    context.addIssue({
      code: 'custom',
      message: 'expected a single line without NUL bytes, since it is answered as one line',
      input: password,
      params: { shown: 'a string with a line break or NUL byte' },
    });
  }
}) as z.ZodType<string>;

const userSchema = (allowUserId: boolean) => {
  const rule = `expected a user name (letters, digits, _ . -, not starting with -)${allowUserId ? ' or #uid' : ''}`;
  return z
    .string({ error: rule })
    .refine((user) => USER_NAME.test(user) || (allowUserId && SUDO_USER_ID.test(user)), {
      error: rule,
    });
};

const timeoutRule = `expected a positive integer of at most ${MAX_TIMER_MS}`;

const OBJECT_ERROR = {
  error: (issue: { readonly code?: string }) =>
    issue.code === 'unrecognized_keys' ? undefined : 'expected an object',
};

const commonShape = (allowUserId: boolean) => ({
  password: passwordSchema.optional(),
  user: userSchema(allowUserId).default('root'),
  startTimeoutMs: z
    .number({ error: timeoutRule })
    .int({ error: timeoutRule })
    .positive({ error: timeoutRule })
    .max(MAX_TIMER_MS, { error: timeoutRule })
    .default(DEFAULT_START_TIMEOUT_MS),
});

/**
 * Validates the options of an elevating spawner, or throws `SpawnError` `ERR_INVALID_INPUT`.
 * `pathOption` names the option that locates the elevator (`sudoPath`, `suPath`).
 */
export const resolveElevationOptions = (
  options: unknown,
  pathOption: 'sudoPath' | 'suPath',
  defaultBinary: string,
): ResolvedElevationOptions => {
  const binarySchema = textSchema(false).default(defaultBinary);
  if (pathOption === 'sudoPath') {
    const { sudoPath, ...given } = parseSpawnInput(
      z.strictObject({ ...commonShape(true), sudoPath: binarySchema }, OBJECT_ERROR),
      options ?? {},
      'options',
    );
    return { ...given, password: given.password, binary: sudoPath };
  }
  const { suPath, ...given } = parseSpawnInput(
    z.strictObject({ ...commonShape(false), suPath: binarySchema }, OBJECT_ERROR),
    options ?? {},
    'options',
  );
  return { ...given, password: given.password, binary: suPath };
};

/**
 * The rules a request must also meet to run elevated, checked before anything is spawned: shell
 * variable names, a binary `env -i` can tell from an assignment, and a stdin the password can use.
 */
export const checkElevatedRequest = (request: ResolvedSpawnRequest, hasPassword: boolean): void => {
  for (const name of Object.keys(request.env)) {
    if (!SHELL_NAME.test(name)) {
      throw createInvalidInputError(
        'options.env',
        'an elevated command takes only shell variable names (letters, digits and _, not starting with a digit)',
        describeValue(name),
      );
    }
  }
  if (!request.extendEnv && request.binary.includes('=')) {
    throw createInvalidInputError(
      'binary',
      'with extendEnv: false an elevated binary may not contain "=" (env(1) would read it as a variable)',
      describeValue(request.binary),
    );
  }
  if (hasPassword && request.stdin === 'inherit') {
    throw createInvalidInputError(
      'options.stdio.stdin',
      "expected 'pipe' or 'ignore' when a password is given, since the password is answered on stdin",
      describeValue(request.stdin),
    );
  }
};
