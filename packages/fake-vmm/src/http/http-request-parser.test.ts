// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { getAbsolutePath, HttpRequestParser, type HttpParseEvent } from './http-request-parser.js';

const feed = (parser: HttpRequestParser, text: string, chunkSize: number): HttpParseEvent[] => {
  const bytes = Buffer.from(text);
  const events: HttpParseEvent[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    events.push(...parser.push(bytes.subarray(offset, offset + chunkSize)));
  }
  return events;
};

const summarize = (event: HttpParseEvent): unknown =>
  event.kind === 'request'
    ? [event.request.method, event.request.path, event.request.body?.toString()]
    : event;

describe('HttpRequestParser', () => {
  it('assembles requests whatever the chunking', () => {
    const text = 'PUT /logger HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}GET /version HTTP/1.0\r\n\r\n';
    for (const chunkSize of [1, 3, 7, 1000]) {
      const events = feed(new HttpRequestParser(51_200), text, chunkSize);
      expect(events.map(summarize)).toEqual([
        ['PUT', '/logger', '{}'],
        ['GET', '/version', undefined],
      ]);
    }
  });

  it('keeps the last Content-Length and treats 0 as no body', () => {
    const [event] = feed(
      new HttpRequestParser(100),
      'PUT /x HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: +0\r\n\r\n',
      64,
    );
    expect(event).toMatchObject({ kind: 'request', request: { body: undefined } });
  });

  it.each([
    ['http://localhost/version', '/version'],
    ['http://localhost:8080/a/b', '/a/b'],
    ['/machine-config', '/machine-config'],
    ['version', ''],
    ['http://localhost', ''],
  ])('takes the absolute path of %s as %s', (uri, path) => {
    expect(getAbsolutePath(uri)).toBe(path);
  });
});
