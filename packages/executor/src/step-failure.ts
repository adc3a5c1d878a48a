// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { ExecutorError, type ExecutorErrorCode } from './errors.js';

/** An error's own message, for a message that wraps it. */
export const getErrorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** The `code` of a Node.js system error (`ENOENT`, `EACCES`, …), if it has one. */
export const getErrno = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/**
 * Makes an `ExecutorError` of a failure in one step, keeping it as `cause`. An `ExecutorError`
 * passes through as it is, and so does the reason of an aborted signal: the caller asked for it.
 */
export const wrapStepFailure = (
  code: ExecutorErrorCode,
  step: string,
  error: unknown,
  signal?: AbortSignal,
): unknown => {
  if (error instanceof ExecutorError || (signal?.aborted === true && error === signal.reason)) {
    return error;
  }
  return new ExecutorError(code, `Could not ${step}: ${getErrorMessage(error)}`, { cause: error });
};

/**
 * One error for the failures of a step that tried everything it had to: one failure as it is,
 * several as an `ExecutorError` whose cause is an `AggregateError` of them all.
 */
export const combineStepFailures = (
  code: ExecutorErrorCode,
  step: string,
  failures: readonly unknown[],
): unknown => {
  if (failures.length === 1) {
    return failures[0];
  }
  return new ExecutorError(
    code,
    `${failures.length} parts of ${step} failed:\n${failures.map((failure) => `- ${getErrorMessage(failure)}`).join('\n')}`,
    { cause: new AggregateError(failures, `${failures.length} parts of ${step} failed`) },
  );
};
