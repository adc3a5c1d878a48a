// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { LOGGER_LEVELS } from '../models/logger.js';

const U32_MAX = 2 ** 32 - 1;
const U64_MAX = 2n ** 64n - 1n;

/**
 * Text that Firecracker's and the jailer's argument parser accept as a value: not empty, no NUL
 * (argv cannot carry one), and not starting with `--`, which the parser reads as the next flag.
 */
export const argumentTextSchema = (what: string) =>
  z
    .string()
    .min(1, { error: `must be a non-empty ${what}` })
    .refine((value) => !value.includes('\0'), { error: 'may not contain a NUL character' })
    .refine((value) => !value.startsWith('--'), {
      error: 'may not start with "--" (Firecracker would read it as the next flag)',
    });

/** A u32, as a safe integer. */
export const u32Schema = z
  .number()
  .int({ error: 'must be an integer from 0 to 4294967295 (u32)' })
  .min(0, { error: 'must be an integer from 0 to 4294967295 (u32)' })
  .max(U32_MAX, { error: 'must be an integer from 0 to 4294967295 (u32)' });

const U64_RULE = 'must be a non-negative safe integer or a bigint up to 2^64-1 (u64)';

/** A u64, as a non-negative safe integer or a bigint up to 2^64-1. */
export const u64Schema = z.union(
  [
    z
      .number()
      .int({ error: U64_RULE })
      .min(0, { error: U64_RULE })
      .max(Number.MAX_SAFE_INTEGER, { error: U64_RULE }),
    z.bigint().min(0n, { error: U64_RULE }).max(U64_MAX, { error: U64_RULE }),
  ],
  { error: U64_RULE },
);

/**
 * A log level for `--level`, in Firecracker's own spelling (it also reads other cases; Kindling
 * emits the canonical one).
 */
export const logLevelSchema = z.enum(LOGGER_LEVELS, {
  error: `must be one of ${LOGGER_LEVELS.map((level) => `"${level}"`).join(', ')}`,
});

/**
 * A Firecracker log level for `--level`; Firecracker's default is `Info`.
 *
 * @useDeclaredType
 */
export type VmmLogLevel = z.output<typeof logLevelSchema>;
