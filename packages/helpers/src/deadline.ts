// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { addAbortListener } from 'node:events';

/**
 * A caller's signal joined with a timeout. `timedOut` tells the two apart after an abort, so that a
 * timeout becomes a typed error and a caller's abort rethrows the caller's own reason.
 */
export interface Deadline extends Disposable {
  readonly signal: AbortSignal;
  readonly timedOut: boolean;
}

/**
 * Creates a deadline that aborts after `timeoutMs` (never when it is `Infinity`) or when `signal`
 * aborts; disposing it clears the timer and removes the listener.
 */
export const createDeadline = (timeoutMs: number, signal?: AbortSignal): Deadline => {
  const controller = new AbortController();
  let timedOut = false;
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(() => {
        timedOut = true;
        controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs)
    : undefined;
  let listener: Disposable | undefined;
  if (signal?.aborted === true) {
    controller.abort(signal.reason);
  } else if (signal !== undefined) {
    listener = addAbortListener(signal, () => controller.abort(signal.reason));
  }
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    [Symbol.dispose]() {
      clearTimeout(timer);
      listener?.[Symbol.dispose]();
    },
  };
};

/** A timeout and an optional caller's signal, as `{ signal, timeoutMs }` options carry them. */
export interface DeadlineOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `task` with a signal that aborts at the deadline or with the caller's signal. A timeout
 * becomes the error `onTimeout` makes; the caller's abort rethrows the caller's `reason`.
 */
export const runWithDeadline = async <T>(
  options: DeadlineOptions,
  task: (signal: AbortSignal) => Promise<T>,
  onTimeout: (cause: Error) => Error,
): Promise<T> => {
  options.signal?.throwIfAborted();
  using deadline = createDeadline(options.timeoutMs, options.signal);
  try {
    return await task(deadline.signal);
  } catch (error) {
    if (deadline.timedOut && error === deadline.signal.reason) {
      throw onTimeout(error as Error);
    }
    throw error;
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
