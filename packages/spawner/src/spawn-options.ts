// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { parseSpawnInput, textSchema } from './input-schema.js';
import type { StdioMode } from './process-spawner.js';

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

const STDIO_RULE = "expected 'pipe', 'ignore' or 'inherit'";
const stdioModeSchema = z.enum(['pipe', 'ignore', 'inherit'], { error: STDIO_RULE });
const streamsSchema = z.strictObject(
  {
    stdin: stdioModeSchema.default('pipe'),
    stdout: stdioModeSchema.default('pipe'),
    stderr: stdioModeSchema.default('pipe'),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : STDIO_RULE) },
);

// Environment values are often secrets: name the variable, never echo its value.
const envSchema = z
  .record(z.string(), z.unknown(), { error: 'expected an object of string values' })
  .superRefine((env, context) => {
    for (const [name, value] of Object.entries(env)) {
      if (name.length === 0 || name.includes('=') || name.includes('\0')) {
        context.addIssue({
          code: 'custom',
          message: 'a variable name must be non-empty and contain neither "=" nor a NUL byte',
          input: name,
        });
      } else if (typeof value !== 'string' || value.includes('\0')) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: 'expected a string without NUL bytes',
          input: value,
          params: {
            shown:
              typeof value === 'string'
                ? 'a string with a NUL byte'
                : `a value of type ${typeof value}`,
          },
        });
      }
    }
  })
  .transform((env) => env as Readonly<Record<string, string>>);

const optionsSchema = z.strictObject(
  {
    // Either one mode for every stream or an object of them: parsed on its own below, so that a
    // bad stream is named by its path.
    stdio: z.unknown().optional(),
    env: envSchema.default({}),
    extendEnv: z.boolean({ error: 'expected a boolean' }).default(true),
    cwd: textSchema(false).optional(),
    signal: z.instanceof(AbortSignal, { error: 'expected an AbortSignal' }).optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'expected an object') },
);

// Built once: making a zod schema costs more than parsing with it.
const binarySchema = textSchema(false);
const argsSchema = z.array(textSchema(true), { error: 'expected an array of strings' });

const resolveStdio = (
  stdio: unknown,
): Pick<ResolvedSpawnRequest, 'stdin' | 'stdout' | 'stderr'> => {
  if (typeof stdio === 'object' && stdio !== null && !Array.isArray(stdio)) {
    return parseSpawnInput(streamsSchema, stdio, 'options.stdio');
  }
  const mode =
    stdio === undefined
      ? 'pipe'
      : parseSpawnInput(
          typeof stdio === 'string'
            ? stdioModeSchema
            : z.never({ error: `${STDIO_RULE} or an object of them per stream` }),
          stdio,
          'options.stdio',
        );
  return { stdin: mode, stdout: mode, stderr: mode };
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
  const checkedBinary = parseSpawnInput(binarySchema, binary, 'binary');
  const checkedArgs = parseSpawnInput(argsSchema, args, 'args');
  const given = parseSpawnInput(optionsSchema, options ?? {}, 'options');
  return {
    binary: checkedBinary,
    args: checkedArgs,
    ...resolveStdio(given.stdio),
    env: given.env,
    extendEnv: given.extendEnv,
    cwd: given.cwd,
    signal: given.signal,
  };
};
