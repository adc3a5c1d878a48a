// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { millisecondsSchema } from './parse-options.js';

// setTimeout turns any delay above 2^31-1 ms into 1 ms, so longer timeouts are refused.
const MAX_TIMEOUT_MS = 2_147_483_647;

/** A `timeoutMs` option: a positive integer no larger than setTimeout accepts. */
export const timeoutMsSchema = millisecondsSchema(
  1,
  MAX_TIMEOUT_MS,
  `expected a positive integer of milliseconds up to ${MAX_TIMEOUT_MS}`,
);

/** A timeout and an optional caller's signal, as `{ signal, timeoutMs }` options carry them. */
export interface Deadline {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `task` with a signal that aborts at the deadline or with the caller's signal. A timeout
 * becomes the error `onTimeout` makes; the caller's abort rethrows the caller's `reason`.
 */
export const runWithDeadline = async <T>(
  deadline: Deadline,
  task: (signal: AbortSignal) => Promise<T>,
  onTimeout: (cause: Error) => Error,
): Promise<T> => {
  deadline.signal?.throwIfAborted();
  const controller = new AbortController();
  const timeoutReason = new Error(`timed out after ${deadline.timeoutMs} ms`);
  const timer = setTimeout(() => controller.abort(timeoutReason), deadline.timeoutMs);
  const onCallerAbort = () => controller.abort(deadline.signal?.reason);
  deadline.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    return await task(controller.signal);
  } catch (error) {
    if (error === timeoutReason) {
      throw onTimeout(timeoutReason);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    deadline.signal?.removeEventListener('abort', onCallerAbort);
  }
};

/** Waits for a promise, or rejects with the signal's reason when it aborts first. */
export const raceSignal = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
