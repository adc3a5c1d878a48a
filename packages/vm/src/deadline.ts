// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { addAbortListener } from 'node:events';

/**
 * A caller's signal joined with a timeout: `signal` aborts at whichever comes first, and
 * `timedOut` says which it was. Disposing clears the timer and removes the listener.
 */
export interface Deadline extends Disposable {
  readonly signal: AbortSignal;
  readonly timedOut: boolean;
}

// TODO [issue 22 item 3]: use the shared deadline of @kindling/helpers once that package lands.
/** Starts a deadline of `timeoutMs` (none for `Infinity`) joined with `signal`. */
export const startDeadline = (timeoutMs: number, signal?: AbortSignal): Deadline => {
  const controller = new AbortController();
  let timedOut = false;
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(() => {
        timedOut = true;
        controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs)
    : undefined;
  const listener =
    signal === undefined
      ? undefined
      : addAbortListener(signal, () => controller.abort(signal.reason));
  if (signal?.aborted === true) {
    controller.abort(signal.reason);
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
