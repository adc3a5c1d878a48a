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
