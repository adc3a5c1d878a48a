// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createInputParser } from '@kindling/helpers';
import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `SupervisorError`. Codes are written once and never renamed; each is listed with
 * its meaning in the package README.
 */
export type SupervisorErrorCode =
  // Validation: nothing was linked or started (the same code in every layer)
  | 'ERR_INVALID_INPUT'
  // `start()` of a supervisor that was already started, or that has stopped
  | 'ERR_WRONG_STATE'
  // A child's `start` (or `restore`) failed or timed out while the supervisor started; the
  // children started before it were shut down; the child's error is the cause
  | 'ERR_CHILD_START_FAILED'
  // More than `maxRestarts` restarts within `withinMs`: the supervisor shut every child down
  | 'ERR_RESTART_INTENSITY';

/** The error every `@kindling/ext-supervisor` call throws; `code` says what failed. */
export class SupervisorError<
  Code extends SupervisorErrorCode = SupervisorErrorCode,
> extends KindlingError<Code> {
  static {
    this.prototype.name = 'SupervisorError';
  }
}

/** Parses input with a zod schema; a bad field is `ERR_INVALID_INPUT` naming it. */
export const parseInput = createInputParser(
  (message, options) => new SupervisorError('ERR_INVALID_INPUT', message, options),
);
