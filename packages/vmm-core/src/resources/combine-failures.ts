// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { VmmCoreError } from '../errors.js';
import { messageOf } from './file-errors.js';

// Several failures go out as one error whose cause holds them all.
/** One error for one or several failures: several come as a `VmmCoreError` with an `AggregateError` cause. */
export const combineFailures = (
  failures: readonly unknown[],
  fallbackCode: 'ERR_RESOURCE_CREATE' | 'ERR_RESOURCE_DISPOSE',
  what: string,
): unknown => {
  if (failures.length === 1) {
    return failures[0];
  }
  const first = failures[0];
  const code = first instanceof VmmCoreError && what === 'initialised' ? first.code : fallbackCode;
  return new VmmCoreError(
    code,
    `${failures.length} resources could not be ${what}:\n${failures.map((failure) => `- ${messageOf(failure)}`).join('\n')}`,
    { cause: new AggregateError(failures, `${failures.length} resources could not be ${what}`) },
  );
};
