// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { VmmCoreError } from '../../src/errors.js';

/** Runs an action that must throw a `VmmCoreError` and returns it; anything else fails the test. */
export const catchVmmCoreError = (action: () => unknown): VmmCoreError => {
  try {
    action();
  } catch (error) {
    if (error instanceof VmmCoreError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a VmmCoreError');
};
