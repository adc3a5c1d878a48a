// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** An HTTP response as micro_http writes it. */
export interface HttpResponse {
  readonly status: number;
  /** The body bytes; absent for 204 (micro_http sends no Content-Type or Content-Length then). */
  readonly body?: string;
  /** Adds `Deprecation: true` (a deprecated field was used). */
  readonly deprecation?: boolean;
}

/**
 * Serializes a response exactly as micro_http does: HTTP/1.1 whatever the request's version, a
 * status line without a reason phrase (`HTTP/1.1 204 \r\n`), `Server` and `Connection` first.
 */
export const formatHttpResponse = (response: HttpResponse, version = 'HTTP/1.1'): Buffer => {
  let head = `${version} ${response.status} \r\nServer: Firecracker API\r\nConnection: keep-alive\r\n`;
  if (response.deprecation === true) {
    head += 'Deprecation: true\r\n';
  }
  const body = response.body === undefined ? undefined : Buffer.from(response.body, 'utf8');
  if (response.status !== 204 && response.status !== 100) {
    head += `Content-Type: application/json\r\nContent-Length: ${body?.length ?? 0}\r\n`;
  }
  head += '\r\n';
  return body === undefined
    ? Buffer.from(head, 'latin1')
    : Buffer.concat([Buffer.from(head, 'latin1'), body]);
};

/** micro_http's body for an error of its own parser: not valid JSON (a raw newline, no escaping). */
export const formatParseErrorBody = (message: string): string =>
  `{ "error": "${message}\nAll previous unanswered requests will be dropped." }`;

/** micro_http's canned answer to a connection beyond the tenth (no space after 503, no Content-Type). */
export const SERVER_FULL_RESPONSE = Buffer.from(
  'HTTP/1.1 503\r\nServer: Firecracker API\r\nConnection: close\r\nContent-Length: 40\r\n\r\n{ "error": "Too many open connections" }',
  'latin1',
);
