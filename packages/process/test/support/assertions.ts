// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { catchError } from '@kindling/test-utils';
import { expect } from 'vitest';

/** Awaits a promise that must reject, and returns its reason. */
export const rejection = (promise: Promise<unknown>): Promise<unknown> => catchError(promise);

/** Runs an action that must throw, and returns what it threw. */
export const thrown = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
};

/** Matches a `ProcessError` `ERR_WRONG_STATE` whose message matches `message`. */
export const wrongState = (message: RegExp) => ({
  name: 'ProcessError',
  code: 'ERR_WRONG_STATE',
  message: expect.stringMatching(message),
});
