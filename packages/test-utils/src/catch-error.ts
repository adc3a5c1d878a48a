// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * Returns what `action` (a promise, or a function that throws or rejects) threw; fails the test
 * when it threw nothing.
 */
export const catchError = async (
  action: PromiseLike<unknown> | (() => unknown),
): Promise<unknown> => {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but none was thrown');
};
