// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { parseServerSentEvents, type ServerSentMessage } from './sse-parser.js';

// An async iterable of the chunks, as a response body is.
const chunksOf = (...chunks: (string | Uint8Array)[]): AsyncIterable<Uint8Array> => {
  const bytes = chunks.map((chunk) =>
    typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk,
  );
  return {
    [Symbol.asyncIterator]: () => {
      const items = bytes[Symbol.iterator]();
      return { next: () => Promise.resolve(items.next()) };
    },
  };
};

const collect = async (chunks: AsyncIterable<Uint8Array>): Promise<ServerSentMessage[]> => {
  const messages: ServerSentMessage[] = [];
  for await (const message of parseServerSentEvents(chunks)) {
    messages.push(message);
  }
  return messages;
};

describe('parseServerSentEvents', () => {
  it('yields one message per blank line, with its event name, data and last id', async () => {
    expect(await collect(chunksOf('id: 1\nevent: vm\ndata: {"a":1}\n\n', 'data: two\n\n'))).toEqual(
      [
        { event: 'vm', data: '{"a":1}', id: '1' },
        { event: 'message', data: 'two', id: '1' },
      ],
    );
  });

  it('joins a message split anywhere across chunks, a \\r\\n between two chunks included', async () => {
    expect(await collect(chunksOf('da', 'ta: hel', 'lo\r', '\n\r', '\n'))).toEqual([
      { event: 'message', data: 'hello', id: undefined },
    ]);
  });

  it('joins data lines with \\n, skips comments and drops a message without data', async () => {
    expect(
      await collect(chunksOf(': keep-alive\n\nevent: x\n\ndata: a\ndata:b\n: note\ndata\n\n')),
    ).toEqual([{ event: 'message', data: 'a\nb\n', id: undefined }]);
  });

  it('drops a message the stream ends in the middle of', async () => {
    expect(await collect(chunksOf('data: whole\n\ndata: cut'))).toEqual([
      { event: 'message', data: 'whole', id: undefined },
    ]);
  });

  it('decodes a UTF-8 character split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: é\n\n');
    expect(await collect(chunksOf(bytes.subarray(0, 7), bytes.subarray(7)))).toEqual([
      { event: 'message', data: 'é', id: undefined },
    ]);
  });
});
