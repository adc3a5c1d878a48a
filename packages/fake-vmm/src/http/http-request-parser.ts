// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describeRustUtf8Error } from './rust-utf8.js';

/** The methods micro_http accepts (case-sensitive). */
export type HttpMethod = 'GET' | 'PUT' | 'PATCH' | 'DELETE';

/** A complete request as micro_http hands it to Firecracker. */
export interface HttpRequest {
  readonly method: HttpMethod;
  /** The request target exactly as sent. */
  readonly uri: string;
  /** micro_http's `get_abs_path`: the target without `http://host`, or empty if neither form. */
  readonly path: string;
  readonly version: 'HTTP/1.0' | 'HTTP/1.1';
  /** The body; undefined when `Content-Length` was absent or zero. */
  readonly body: Buffer | undefined;
}

/** What the parser produced from the bytes pushed so far, in order. */
export type HttpParseEvent =
  | { readonly kind: 'request'; readonly request: HttpRequest }
  | { readonly kind: 'continue'; readonly version: string }
  | {
      readonly kind: 'error';
      readonly message: string;
      /** The method and target as far as they were read (for the journal). */
      readonly method: string;
      readonly uri: string;
    };

class ParseError extends Error {
  static {
    this.prototype.name = 'ParseError';
  }

  /** Bytes of a refused body still to arrive, which the parser then skips. */
  readonly bodyBytesToSkip: number;
  /** The method and target of a request line that failed to parse, as far as they go. */
  readonly requestLine: { readonly method: string; readonly uri: string } | undefined;

  constructor(
    message: string,
    bodyBytesToSkip = 0,
    requestLine?: { readonly method: string; readonly uri: string },
  ) {
    super(message);
    this.bodyBytesToSkip = bodyBytesToSkip;
    this.requestLine = requestLine;
  }
}

// micro_http reads into a 1024-byte buffer: a line (CRLF included) must fit in it.
const BUFFER_SIZE = 1024;
const CRLF = Buffer.from('\r\n');
const METHODS = new Set<string>(['GET', 'PUT', 'PATCH', 'DELETE']);
const U32_MAX = 0xffff_ffff;

const headerError = (reason: string): ParseError =>
  new ParseError(`Invalid header. Reason: ${reason}`);

/** micro_http's `Uri::get_abs_path`. */
export const getAbsolutePath = (uri: string): string => {
  if (uri.startsWith('http://')) {
    const withoutScheme = uri.slice('http://'.length);
    const slash = withoutScheme.indexOf('/');
    return slash === -1 ? '' : withoutScheme.slice(slash);
  }
  return uri.startsWith('/') ? uri : '';
};

interface PendingRequest {
  readonly method: HttpMethod;
  readonly uri: string;
  readonly version: 'HTTP/1.0' | 'HTTP/1.1';
  contentLength: number;
  expectContinue: boolean;
}

const parseRequestLine = (line: Buffer): PendingRequest => {
  const [rawMethod = '', rawUri = ''] = line.toString('utf8').split(' ');
  const fail = (message: string): ParseError =>
    new ParseError(message, 0, { method: rawMethod, uri: rawUri });
  const methodEnd = line.indexOf(0x20);
  const uriEnd = methodEnd === -1 ? -1 : line.indexOf(0x20, methodEnd + 1);
  if (uriEnd === -1) {
    throw fail('Invalid request.');
  }
  const method = line.toString('latin1', 0, methodEnd);
  if (!METHODS.has(method)) {
    throw fail('Invalid HTTP Method: Unsupported HTTP method.');
  }
  const uriBytes = line.subarray(methodEnd + 1, uriEnd);
  if (uriBytes.length === 0) {
    throw fail('Invalid URI: Empty URI not allowed.');
  }
  if (describeRustUtf8Error(uriBytes) !== undefined) {
    throw fail('Invalid URI: Cannot parse URI as UTF-8.');
  }
  const version = line.toString('latin1', uriEnd + 1);
  if (version !== 'HTTP/1.0' && version !== 'HTTP/1.1') {
    throw fail('Invalid HTTP Version: Unsupported HTTP version.');
  }
  return {
    method: method as HttpMethod,
    uri: uriBytes.toString('utf8'),
    version,
    contentLength: 0,
    expectContinue: false,
  };
};

// micro_http's `Encoding::try_from`: only an explicit refusal of identity invalidates a request.
const checkAcceptEncoding = (value: string): void => {
  if (value === '') {
    throw new ParseError('Invalid request.');
  }
  for (const encoding of value.split(',')) {
    const trimmed = encoding.trim();
    if (trimmed === 'identity;q=0' || (trimmed === '*;q=0' && !value.includes('identity'))) {
      throw headerError(`Invalid value. Key:Accept-Encoding; Value:${encoding}`);
    }
  }
};

/** micro_http's `Headers::parse_header_line`; unsupported names and values are ignored. */
const parseHeaderLine = (line: Buffer, request: PendingRequest): void => {
  const utf8Error = describeRustUtf8Error(line);
  if (utf8Error !== undefined) {
    throw headerError(`Header contains invalid characters. Key: ${utf8Error}`);
  }
  const text = line.toString('utf8');
  const colon = text.indexOf(':');
  if (colon === -1) {
    throw headerError(`Header is incorrectly formatted. Key: ${text}`);
  }
  const rawName = text.slice(0, colon);
  const value = text.slice(colon + 1);
  // Content-Type, Accept, Transfer-Encoding, Server and unknown names never fail: an unsupported
  // value is ignored (chunked bodies are not decoded either).
  const name = rawName.toLowerCase().trim();
  if (name === 'content-length') {
    const trimmed = value.trim();
    const length = /^\+?\d+$/u.test(trimmed) ? Number(trimmed.replace('+', '')) : Number.NaN;
    if (!(length <= U32_MAX)) {
      throw headerError(`Invalid value. Key:${rawName}; Value:${value}`);
    }
    request.contentLength = length;
  } else if (name === 'expect') {
    request.expectContinue ||= value.trim() === '100-continue';
  } else if (name === 'accept-encoding') {
    checkAcceptEncoding(value.trim());
  }
};

/**
 * micro_http's connection parser: feed it the bytes of one connection and it yields complete
 * requests, `100 Continue` prompts and parse errors (with micro_http's messages).
 */
export class HttpRequestParser {
  private buffer: Buffer = Buffer.alloc(0);
  private state: 'line' | 'headers' | 'body' = 'line';
  private pending: PendingRequest | undefined;
  private skipBytes = 0;
  private readonly payloadLimit: number;

  constructor(payloadLimit: number) {
    this.payloadLimit = payloadLimit;
  }

  /** Appends bytes and returns every event they complete. */
  push(chunk: Buffer): HttpParseEvent[] {
    let data = chunk;
    if (this.skipBytes > 0) {
      const skipped = Math.min(this.skipBytes, data.length);
      this.skipBytes -= skipped;
      data = data.subarray(skipped);
    }
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    const events: HttpParseEvent[] = [];
    try {
      for (let event = this.step(); event !== 'wait'; event = this.step()) {
        if (event !== 'progress') {
          events.push(event);
        }
      }
    } catch (error) {
      if (!(error instanceof ParseError)) {
        throw error;
      }
      events.push({
        kind: 'error',
        message: error.message,
        method: error.requestLine?.method ?? this.pending?.method ?? '',
        uri: error.requestLine?.uri ?? this.pending?.uri ?? '',
      });
      this.reset(error.bodyBytesToSkip);
    }
    return events;
  }

  // After an error micro_http drops the requests it had parsed; the fake also drops the bytes of
  // the bad request (and a refused body still to come) so that one request gets one answer.
  private reset(bodyBytesToSkip: number): void {
    this.skipBytes = bodyBytesToSkip;
    this.buffer = Buffer.alloc(0);
    this.state = 'line';
    this.pending = undefined;
  }

  private takeLine(tooLong: (head: Buffer) => ParseError): Buffer | undefined {
    const end = this.buffer.subarray(0, BUFFER_SIZE).indexOf(CRLF);
    if (end === -1 && this.buffer.length >= BUFFER_SIZE) {
      throw tooLong(this.buffer.subarray(0, BUFFER_SIZE));
    }
    if (end === -1) {
      return undefined;
    }
    const line = this.buffer.subarray(0, end);
    this.buffer = this.buffer.subarray(end + 2);
    return line;
  }

  private step(): HttpParseEvent | 'progress' | 'wait' {
    if (this.state === 'line') {
      return this.stepLine();
    }
    return this.state === 'headers' ? this.stepHeaders() : this.stepBody();
  }

  private stepLine(): 'progress' | 'wait' {
    const line = this.takeLine(() => new ParseError('Invalid request.'));
    if (line === undefined) {
      return 'wait';
    }
    this.pending = parseRequestLine(line);
    this.state = 'headers';
    return 'progress';
  }

  private stepHeaders(): HttpParseEvent | 'progress' | 'wait' {
    const line = this.takeLine((head) =>
      headerError(`Invalid content length. Header: ${head.toString('utf8')}`),
    );
    const { pending } = this;
    if (line === undefined || pending === undefined) {
      return 'wait';
    }
    if (line.length > 0) {
      parseHeaderLine(line, pending);
      return 'progress';
    }
    if (pending.contentLength === 0) {
      return this.complete();
    }
    if (pending.contentLength > this.payloadLimit) {
      throw new ParseError(
        `Request payload with size ${pending.contentLength} is larger than the limit of ${this.payloadLimit} allowed by server.`,
        Math.max(0, pending.contentLength - this.buffer.length),
      );
    }
    this.state = 'body';
    return pending.expectContinue ? { kind: 'continue', version: pending.version } : 'progress';
  }

  private stepBody(): HttpParseEvent | 'wait' {
    const length = this.pending?.contentLength ?? 0;
    if (this.buffer.length < length) {
      return 'wait';
    }
    const body = Buffer.from(this.buffer.subarray(0, length));
    this.buffer = this.buffer.subarray(length);
    return this.complete(body);
  }

  private complete(body?: Buffer): HttpParseEvent {
    const pending = this.pending;
    this.pending = undefined;
    this.state = 'line';
    if (pending === undefined) {
      throw new ParseError('No request was pending while the request headers were being parsed.');
    }
    return {
      kind: 'request',
      request: {
        method: pending.method,
        uri: pending.uri,
        path: getAbsolutePath(pending.uri),
        version: pending.version,
        body,
      },
    };
  }
}
