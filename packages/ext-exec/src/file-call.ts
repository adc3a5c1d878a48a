// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  FrameType,
  parseJsonPayload,
  type Frame,
  type MuxStream,
  type OpenRequest,
} from '@kindling/exec-agent/protocol';
import { createDeadline } from '@kindling/helpers';
import type { AgentLink } from './agent-link.js';
import { errorFromFrame } from './call-failure.js';
import { ExecError } from './errors.js';

const ignore = (): void => {};

/** What a call's stream does with its frames before the RESULT (pull's DATA and EOF). */
export type FrameSink = (frame: Frame) => void;

/** A call in progress: its stream once open, and its RESULT (or failure). */
export interface OpenCall {
  readonly stream: Promise<MuxStream>;
  readonly result: Promise<Record<string, unknown>>;
  /** Fails the call (the stream ends here). */
  abort(error: Error): void;
}

/**
 * Opens one request's stream and waits for its RESULT; an ERROR frame rejects with the agent's
 * code, a closed connection with `ERR_VM_ENDED` or `ERR_EXEC_CONNECTION_CLOSED`, the bound with
 * `ERR_WAIT_TIMEOUT`, an abort with the signal's reason.
 */
export const openCall = (
  link: AgentLink,
  request: OpenRequest,
  call: string,
  bounds: { readonly timeoutMs: number; readonly signal?: AbortSignal | undefined },
  sink?: FrameSink,
): OpenCall => {
  const result = Promise.withResolvers<Record<string, unknown>>();
  const deadline = createDeadline(bounds.timeoutMs, bounds.signal);
  let stream: MuxStream | undefined;
  let settled = false;
  const settle = (error?: Error, value?: Record<string, unknown>): void => {
    if (settled) {
      return;
    }
    settled = true;
    deadline[Symbol.dispose]();
    stream?.end();
    if (error === undefined) {
      result.resolve(value ?? {});
    } else {
      result.reject(error);
    }
  };
  const onAbort = (): void => {
    settle(
      deadline.timedOut
        ? new ExecError(
            'ERR_WAIT_TIMEOUT',
            `${call}: no answer from the guest agent within ${bounds.timeoutMs} ms: raise options.timeoutMs`,
          )
        : (deadline.signal.reason as Error),
    );
  };
  deadline.signal.addEventListener('abort', onAbort, { once: true });
  const opened = link.openStream(
    request,
    {
      onFrame: (frame) => {
        if (frame.type === FrameType.RESULT) {
          try {
            settle(undefined, parseJsonPayload(frame.payload, 'RESULT'));
          } catch (error) {
            settle(error as Error);
          }
        } else if (frame.type === FrameType.ERROR) {
          settle(errorFromFrame(frame.payload, call));
        } else {
          sink?.(frame);
        }
      },
      onClose: (reason) => {
        void link.explainClose(reason, call).then((explained) => {
          settle(explained);
          return explained;
        });
      },
    },
    deadline.signal,
  );
  const streamPromise = opened.then(
    (open) => {
      stream = open;
      if (settled) {
        open.end();
      }
      return open;
    },
    (error: unknown) => {
      settle(error as Error);
      throw error;
    },
  );
  // Whoever awaits them sees their failures; neither is left unhandled when nobody does.
  streamPromise.catch(ignore);
  result.promise.catch(ignore);
  return { stream: streamPromise, result: result.promise, abort: (error) => settle(error) };
};
