// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** One message of a `text/event-stream`, as the WHATWG HTML standard defines its fields. */
export interface ServerSentMessage {
  /** `event:`; `message` when the server named none. */
  readonly event: string;
  /** The `data:` lines, joined by `\n`. */
  readonly data: string;
  /** The last `id:` seen, which a reconnect sends back as `Last-Event-ID`. */
  readonly id: string | undefined;
}

/**
 * Parses a `text/event-stream` body into its messages: lines end in `\n`, `\r\n` or `\r`; a blank
 * line ends a message; `:` lines are comments (keep-alives); a message without data is dropped.
 */
export async function* parseServerSentEvents(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<ServerSentMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let lastId: string | undefined;
  const lines = function* (final: boolean): Generator<string> {
    for (;;) {
      const end = /\r\n|\r|\n/u.exec(buffer);
      // A `\r` at the end of a chunk may be the first half of `\r\n`: wait for the next chunk.
      if (end === null || (!final && end[0] === '\r' && end.index === buffer.length - 1)) {
        return;
      }
      yield buffer.slice(0, end.index);
      buffer = buffer.slice(end.index + end[0].length);
    }
  };
  const take = function* (line: string): Generator<ServerSentMessage> {
    if (line === '') {
      if (data.length > 0) {
        yield { event: event === '' ? 'message' : event, data: data.join('\n'), id: lastId };
      }
      event = '';
      data = [];
      return;
    }
    if (line.startsWith(':')) {
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const raw = colon === -1 ? '' : line.slice(colon + 1);
    const value = raw.startsWith(' ') ? raw.slice(1) : raw;
    if (field === 'data') {
      data.push(value);
    } else if (field === 'event') {
      event = value;
    } else if (field === 'id' && !value.includes('\0')) {
      lastId = value;
    }
  };
  for await (const chunk of chunks) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    for (const line of lines(false)) {
      yield* take(line);
    }
  }
  buffer += decoder.decode();
  for (const line of lines(true)) {
    yield* take(line);
  }
}
