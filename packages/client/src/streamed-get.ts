// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { addAbortListener } from 'node:events';
import { createDeadline } from '@kindling/helpers';
import { timeoutError, type CallBound } from './call-deadline.js';
import type { HttpTransport, TransportAnswer } from './http-transport.js';

/** A `GET` whose body streams on after its headers came, and what aborts it. */
export interface StreamedGet {
  readonly answer: TransportAnswer;
  /** Aborting it ends the body; the caller's signal is tied to it for as long as the body runs. */
  readonly controller: AbortController;
}

/**
 * Sends a `GET` whose answer is a stream (an archive, server-sent events): resolves once its
 * headers came, within `bound.timeoutMs`, since the body itself has no time limit. A server error
 * rejects with its code; a timeout with `ERR_SERVER_TIMEOUT`; the caller's abort with its reason.
 */
export const sendStreamedGet = async (
  transport: HttpTransport,
  path: string,
  accept: string,
  bound: CallBound,
  endlessBody = false,
): Promise<StreamedGet> => {
  bound.signal?.throwIfAborted();
  const controller = new AbortController();
  using deadline = createDeadline(bound.timeoutMs, bound.signal);
  using _ = addAbortListener(deadline.signal, () => controller.abort(deadline.signal.reason));
  try {
    const answer = await transport.send({
      method: 'GET',
      path,
      accept,
      signal: controller.signal,
      ...(endlessBody ? { endlessBody } : {}),
    });
    if (answer.statusCode >= 400) {
      throw transport.errorOf({ method: 'GET', path }, answer.statusCode, await answer.body.text());
    }
    return { answer, controller };
  } catch (error) {
    if (deadline.timedOut) {
      throw timeoutError(bound, error);
    }
    throw bound.signal?.aborted === true ? bound.signal.reason : error;
  }
};
