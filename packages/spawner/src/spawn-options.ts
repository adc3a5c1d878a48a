// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describeValue } from '@kindling/helpers';
import { createInvalidInputError } from './invalid-input.js';
import type { SpawnOptions, StdioMode } from './process-spawner.js';

/** A spawn request after validation and defaults: what the spawners run on. */
export interface ResolvedSpawnRequest {
  readonly binary: string;
  readonly args: readonly string[];
  readonly stdin: StdioMode;
  readonly stdout: StdioMode;
  readonly stderr: StdioMode;
  readonly env: Readonly<Record<string, string>>;
  readonly extendEnv: boolean;
  readonly cwd: string | undefined;
  readonly signal: AbortSignal | undefined;
}

const STDIO_MODES: ReadonlySet<unknown> = new Set<StdioMode>(['pipe', 'ignore', 'inherit']);
const STDIO_RULE = "expected 'pipe', 'ignore' or 'inherit'";
const OPTION_KEYS: ReadonlySet<string> = new Set(['stdio', 'env', 'extendEnv', 'cwd', 'signal']);
const STREAM_KEYS: ReadonlySet<string> = new Set(['stdin', 'stdout', 'stderr']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// The kernel takes NUL-terminated strings: a NUL byte would silently cut an argument short.
const hasNul = (text: string): boolean => text.includes('\0');

const checkText = (field: string, value: unknown, allowEmpty: boolean): string => {
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0) || hasNul(value)) {
    const rule = allowEmpty
      ? 'expected a string without NUL bytes'
      : 'expected a non-empty string without NUL bytes';
    throw createInvalidInputError(field, rule, describeValue(value));
  }
  return value;
};

const checkArgs = (args: unknown): readonly string[] => {
  if (!Array.isArray(args)) {
    throw createInvalidInputError('args', 'expected an array of strings', describeValue(args));
  }
  return args.map((arg: unknown, index) => checkText(`args[${index}]`, arg, true));
};

const checkMode = (field: string, value: unknown): StdioMode => {
  if (value === undefined) {
    return 'pipe';
  }
  if (!STDIO_MODES.has(value)) {
    throw createInvalidInputError(field, STDIO_RULE, describeValue(value));
  }
  return value as StdioMode;
};

const checkStdio = (stdio: unknown): Pick<ResolvedSpawnRequest, 'stdin' | 'stdout' | 'stderr'> => {
  if (stdio === undefined || typeof stdio === 'string') {
    const mode = checkMode('options.stdio', stdio);
    return { stdin: mode, stdout: mode, stderr: mode };
  }
  if (!isPlainObject(stdio)) {
    throw createInvalidInputError(
      'options.stdio',
      `${STDIO_RULE} or an object of them per stream`,
      describeValue(stdio),
    );
  }
  for (const key of Object.keys(stdio)) {
    if (!STREAM_KEYS.has(key)) {
      throw createInvalidInputError(
        `options.stdio.${key}`,
        'unknown stream: expected stdin, stdout or stderr',
        describeValue(stdio[key]),
      );
    }
  }
  return {
    stdin: checkMode('options.stdio.stdin', stdio['stdin']),
    stdout: checkMode('options.stdio.stdout', stdio['stdout']),
    stderr: checkMode('options.stdio.stderr', stdio['stderr']),
  };
};

const checkEnv = (env: unknown): Readonly<Record<string, string>> => {
  if (env === undefined) {
    return {};
  }
  if (!isPlainObject(env)) {
    throw createInvalidInputError(
      'options.env',
      'expected an object of string values',
      describeValue(env),
    );
  }
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.length === 0 || name.includes('=') || hasNul(name)) {
      throw createInvalidInputError(
        'options.env',
        'a variable name must be non-empty and contain neither "=" nor a NUL byte',
        describeValue(name),
      );
    }
    // Environment values are often secrets: name the variable, never echo its value.
    if (typeof value !== 'string' || hasNul(value)) {
      throw createInvalidInputError(
        `options.env.${name}`,
        'expected a string without NUL bytes',
        typeof value === 'string' ? 'a string with a NUL byte' : `a value of type ${typeof value}`,
      );
    }
    checked[name] = value;
  }
  return checked;
};

/**
 * Validates a spawn request and applies the defaults (every stream piped, the environment
 * extended), or throws `SpawnError` `ERR_INVALID_INPUT` naming the field, the value and the rule.
 */
export const resolveSpawnRequest = (
  binary: unknown,
  args: unknown,
  options: unknown,
): ResolvedSpawnRequest => {
  const checkedBinary = checkText('binary', binary, false);
  const checkedArgs = checkArgs(args);
  if (options !== undefined && !isPlainObject(options)) {
    throw createInvalidInputError('options', 'expected an object', describeValue(options));
  }
  const given: Record<string, unknown> = options ?? {};
  for (const key of Object.keys(given)) {
    if (!OPTION_KEYS.has(key)) {
      throw createInvalidInputError(
        `options.${key}`,
        'unknown option: expected stdio, env, extendEnv, cwd or signal',
        describeValue(given[key]),
      );
    }
  }
  const { extendEnv, cwd, signal } = given as SpawnOptions;
  if (extendEnv !== undefined && typeof extendEnv !== 'boolean') {
    throw createInvalidInputError(
      'options.extendEnv',
      'expected a boolean',
      describeValue(extendEnv),
    );
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw createInvalidInputError(
      'options.signal',
      'expected an AbortSignal',
      describeValue(signal),
    );
  }
  return {
    binary: checkedBinary,
    args: checkedArgs,
    ...checkStdio(given['stdio']),
    env: checkEnv(given['env']),
    extendEnv: extendEnv ?? true,
    cwd: cwd === undefined ? undefined : checkText('options.cwd', cwd, false),
    signal,
  };
};
