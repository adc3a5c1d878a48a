// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { addAbortListener } from 'node:events';
import { looseAnswer } from './contract/loose-answer.js';
import { vmEventSchema, type VmEvent } from './contract/vm-event.js';
import { ClientError } from './errors.js';
import type { HttpTransport } from './http-transport.js';
import type { CallBound } from './call-deadline.js';
import { sendStreamedGet } from './streamed-get.js';
import { parseServerSentEvents } from './sse-parser.js';

/**
 * A subscription to the server's VM events: iterate it with `for await`; it ends when the server
 * closes it or `close()` is called, and rejects with the signal's reason when the signal aborts.
 */
export interface VmEventStream extends AsyncIterable<VmEvent>, AsyncDisposable {
  /** Ends the subscription; an iteration under way ends without an error. */
  close(): Promise<void>;
}

// The reason the stream is closed with by its owner, which ends an iteration quietly.
class StreamClosed extends Error {}

/**
 * Opens an event stream at `path`: resolves once the server answered with its headers (so every
 * change after that is seen), within `bound.timeoutMs`; the stream itself has no time limit.
 * `onClose` hears of its end, however it came.
 */
export const openEventStream = async (
  transport: HttpTransport,
  path: string,
  bound: CallBound,
  onClose: (stream: VmEventStream) => void = () => {},
): Promise<VmEventStream> => {
  const { answer, controller } = await sendStreamedGet(
    transport,
    path,
    'text/event-stream',
    bound,
    true,
  );
  const type = String(answer.headers['content-type'] ?? '');
  if (!type.startsWith('text/event-stream')) {
    answer.body.destroy();
    throw new ClientError(
      'ERR_SERVER_RESPONSE',
      `${bound.what} answered ${JSON.stringify(type)} instead of text/event-stream: is that a Kindling server?`,
    );
  }
  const callerAbort =
    bound.signal === undefined
      ? undefined
      : addAbortListener(bound.signal, () => controller.abort(bound.signal?.reason));
  const { body } = answer;
  controller.signal.addEventListener(
    'abort',
    () => body.destroy(controller.signal.reason as Error),
    {
      once: true,
    },
  );
  const close = async (): Promise<void> => {
    callerAbort?.[Symbol.dispose]();
    controller.abort(new StreamClosed('closed'));
    onClose(stream);
    await Promise.resolve();
  };
  async function* iterate(): AsyncGenerator<VmEvent> {
    try {
      for await (const message of parseServerSentEvents(body)) {
        yield parseEvent(bound, message.data);
      }
    } catch (error) {
      if (controller.signal.reason instanceof StreamClosed) {
        return;
      }
      throw bound.signal?.aborted === true ? bound.signal.reason : error;
    } finally {
      await close();
    }
  }
  const stream: VmEventStream = {
    [Symbol.asyncIterator]: iterate,
    close,
    [Symbol.asyncDispose]: close,
  };
  return stream;
};

const parseEvent = (bound: CallBound, data: string): VmEvent => {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    throw new ClientError(
      'ERR_SERVER_RESPONSE',
      `${bound.what} sent an event that is not JSON: ${JSON.stringify(data.slice(0, 200))}`,
      { cause: error },
    );
  }
  const parsed = looseAnswer(vmEventSchema).safeParse(value);
  if (!parsed.success) {
    throw new ClientError(
      'ERR_SERVER_RESPONSE',
      `${bound.what} sent an event that is not { id, state, at, … }: ${JSON.stringify(data.slice(0, 200))}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
};
