// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createDeadline } from '@kindling/helpers';
import { ClientError } from './errors.js';

/** A call's bound: its timeout, the caller's signal, and what the timeout message names. */
export interface CallBound {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** `GET /v1/vms at unix:/run/kindling.sock`. */
  readonly what: string;
}

/**
 * Runs `task` with a signal that aborts at the timeout or with the caller's signal: a timeout
 * becomes `ERR_SERVER_TIMEOUT`, the caller's abort rejects with the caller's own reason.
 */
export const runBounded = async <T>(
  bound: CallBound,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> => {
  bound.signal?.throwIfAborted();
  using deadline = createDeadline(bound.timeoutMs, bound.signal);
  try {
    return await task(deadline.signal);
  } catch (error) {
    if (deadline.timedOut) {
      throw timeoutError(bound, error);
    }
    if (bound.signal?.aborted === true) {
      throw bound.signal.reason;
    }
    throw error;
  }
};

/** `ERR_SERVER_TIMEOUT` for a call that ran out of time. */
export const timeoutError = (bound: CallBound, cause: unknown): ClientError =>
  new ClientError(
    'ERR_SERVER_TIMEOUT',
    `${bound.what}: no answer within ${bound.timeoutMs} ms; give the call a longer timeoutMs, or check the server`,
    { cause },
  );
