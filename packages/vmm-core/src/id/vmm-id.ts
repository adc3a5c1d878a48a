// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseWithSchema } from '../validation.js';

/** The fewest UTF-8 bytes an instance id may have (`MIN_INSTANCE_ID_LEN`). */
export const VMM_ID_MIN_BYTES = 1;
/** The most UTF-8 bytes an instance id may have (`MAX_INSTANCE_ID_LEN`). */
export const VMM_ID_MAX_BYTES = 64;

// Rust's `char::is_alphanumeric` is `is_alphabetic() || is_numeric()`: the Alphabetic property, or
// the general categories Nd, Nl and No. `\p{Alnum}` is not that (it lacks Nl/No), so spell it out.
const ID_CHARACTER = /^[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}-]$/u;

/**
 * Says what is wrong with an instance id by Firecracker's `validate_instance_id`, or `undefined`
 * when it is valid. Like Firecracker, it checks the length before the characters; a leading `--`,
 * which passes that rule but which Firecracker's argument parser cannot take as a value, is
 * refused as well.
 */
export const findVmmIdProblem = (value: string): string | undefined => {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes < VMM_ID_MIN_BYTES || bytes > VMM_ID_MAX_BYTES) {
    return `must be ${VMM_ID_MIN_BYTES} to ${VMM_ID_MAX_BYTES} bytes of UTF-8 (this one is ${bytes})`;
  }
  let position = 0;
  // for…of walks code points, as Rust's `chars()` does; a lone surrogate fails the test below.
  for (const character of value) {
    if (!ID_CHARACTER.test(character)) {
      return `may contain only Unicode letters, digits and "-" (${JSON.stringify(character)} at character ${position} is none of these)`;
    }
    position += 1;
  }
  // The argument parsers of Firecracker and the jailer read a value starting with "--" as the
  // next flag and stop (`--id --no-seccomp`: "requires a value, but none was supplied").
  if (value.startsWith('--')) {
    return 'may not start with "--" (Firecracker would read it as the next flag, not as the id)';
  }
  return undefined;
};

/**
 * The zod schema of a `VmmId`: a string of 1–64 UTF-8 bytes whose every character is
 * alphanumeric in Unicode's sense (Rust's `char::is_alphanumeric`) or `-`.
 */
export const vmmIdSchema = z
  .string()
  .superRefine((value, context) => {
    const problem = findVmmIdProblem(value);
    if (problem !== undefined) {
      context.addIssue({ code: 'custom', message: problem, input: value });
    }
  })
  .brand<'VmmId'>();

/**
 * An instance id that `firecracker --id` and `jailer --id` both accept.
 *
 * @useDeclaredType
 */
export type VmmId = z.output<typeof vmmIdSchema>;

/** The id Firecracker itself uses when `--id` is not given (Kindling always gives one). */
export const DEFAULT_VMM_ID = 'anonymous-instance' as VmmId;

/**
 * A new instance id, unique in practice: `kindling-` and 16 random hex digits (64 bits), so that
 * VMs started without an id never share one, nor a default socket path derived from it.
 */
export const generateVmmId = (): VmmId => `kindling-${randomBytes(8).toString('hex')}` as VmmId;

/**
 * Checks a value against Firecracker's id rule and returns it as a `VmmId`, or throws
 * `VmmCoreError` `ERR_INVALID_INPUT` naming `subject`, the value and the rule it breaks.
 */
export const parseVmmId = (value: unknown, subject = 'id'): VmmId =>
  parseWithSchema(vmmIdSchema, value, subject);

/** Whether a value is a string Firecracker accepts as an instance id. */
export const isVmmId = (value: unknown): value is VmmId =>
  typeof value === 'string' && findVmmIdProblem(value) === undefined;
