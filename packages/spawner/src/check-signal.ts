// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { constants } from 'node:os';
import { describeValue } from '@kindling/helpers';
import { createInvalidInputError } from './invalid-input.js';

/**
 * Returns the signal `kill()` was given when it is a known name or a non-negative integer, or
 * throws `SpawnError` `ERR_INVALID_INPUT`.
 */
export const checkSignal = (signal: NodeJS.Signals | number): NodeJS.Signals | number => {
  const known =
    typeof signal === 'number'
      ? Number.isInteger(signal) && signal >= 0
      : Object.hasOwn(constants.signals, signal);
  if (!known) {
    throw createInvalidInputError(
      'signal',
      'expected a signal name such as "SIGTERM" or a non-negative integer',
      describeValue(signal),
    );
  }
  return signal;
};
