// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describeValue, MAX_TIMER_MS } from '@kindling/helpers';
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

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Never echo a password, not even a glimpse of it.
const checkPassword = (password: unknown): string | undefined => {
  if (password === undefined) {
    return undefined;
  }
  if (typeof password !== 'string') {
    throw createInvalidInputError(
      'options.password',
      'expected a string',
      `a value of type ${typeof password}`,
    );
  }
  if (/[\n\r\0]/u.test(password)) {
    throw createInvalidInputError(
      'options.password',
      'expected a single line without NUL bytes, since it is answered as one line',
      'a string with a line break or NUL byte',
    );
  }
  return password;
};

const checkUser = (user: unknown, allowUserId: boolean): string => {
  if (user === undefined) {
    return 'root';
  }
  if (
    typeof user !== 'string' ||
    !(USER_NAME.test(user) || (allowUserId && SUDO_USER_ID.test(user)))
  ) {
    throw createInvalidInputError(
      'options.user',
      `expected a user name (letters, digits, _ . -, not starting with -)${allowUserId ? ' or #uid' : ''}`,
      describeValue(user),
    );
  }
  return user;
};

const checkBinary = (binary: unknown, field: string, fallback: string): string => {
  if (binary === undefined) {
    return fallback;
  }
  if (typeof binary !== 'string' || binary.length === 0 || binary.includes('\0')) {
    throw createInvalidInputError(
      field,
      'expected a non-empty string without NUL bytes',
      describeValue(binary),
    );
  }
  return binary;
};

const checkTimeout = (timeoutMs: unknown): number => {
  if (timeoutMs === undefined) {
    return DEFAULT_START_TIMEOUT_MS;
  }
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isInteger(timeoutMs) ||
    timeoutMs <= 0 ||
    timeoutMs > MAX_TIMER_MS
  ) {
    throw createInvalidInputError(
      'options.startTimeoutMs',
      `expected a positive integer of at most ${MAX_TIMER_MS}`,
      describeValue(timeoutMs),
    );
  }
  return timeoutMs;
};

/**
 * Validates the options of an elevating spawner, or throws `SpawnError` `ERR_INVALID_INPUT`.
 * `pathOption` names the option that locates the elevator (`sudoPath`, `suPath`).
 */
export const resolveElevationOptions = (
  options: unknown,
  pathOption: 'sudoPath' | 'suPath',
  defaultBinary: string,
): ResolvedElevationOptions => {
  if (options !== undefined && !isPlainObject(options)) {
    throw createInvalidInputError('options', 'expected an object', describeValue(options));
  }
  const given: Record<string, unknown> = options ?? {};
  const known = new Set(['password', 'user', 'startTimeoutMs', pathOption]);
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      throw createInvalidInputError(
        `options.${key}`,
        `unknown option: expected password, user, ${pathOption} or startTimeoutMs`,
        describeValue(given[key]),
      );
    }
  }
  return {
    password: checkPassword(given['password']),
    user: checkUser(given['user'], pathOption === 'sudoPath'),
    binary: checkBinary(given[pathOption], `options.${pathOption}`, defaultBinary),
    startTimeoutMs: checkTimeout(given['startTimeoutMs']),
  };
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
