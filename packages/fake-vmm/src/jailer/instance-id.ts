// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { formatRustChar } from '../rust/debug-format.js';

const MIN_LENGTH = 1;
const MAX_LENGTH = 64;

/** Why an id is invalid, as Firecracker's `validators::validate_instance_id` reports it. */
export interface InstanceIdProblem {
  readonly display: string;
  readonly debug: string;
}

/**
 * Checks an instance id as Firecracker and the jailer do: 1 to 64 bytes of UTF-8, each char
 * Unicode-alphanumeric or `-`. The position reported is a char index, the length a byte count.
 */
export const checkInstanceId = (id: string): InstanceIdProblem | undefined => {
  const length = Buffer.byteLength(id, 'utf8');
  if (length < MIN_LENGTH || length > MAX_LENGTH) {
    return {
      display: `Invalid len (${length});  the length must be between ${MIN_LENGTH} and ${MAX_LENGTH}`,
      debug: `InvalidLen(${length}, ${MIN_LENGTH}, ${MAX_LENGTH})`,
    };
  }
  let position = 0;
  for (const char of id) {
    // Rust's char::is_alphanumeric is the Alphabetic property or the Numeric general categories.
    if (char !== '-' && !/^[\p{Alphabetic}\p{N}]$/u.test(char)) {
      return {
        display: `Invalid char (${char}) at position ${position}`,
        debug: `InvalidChar(${formatRustChar(char)}, ${position})`,
      };
    }
    position += 1;
  }
  return undefined;
};
