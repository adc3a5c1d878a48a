// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { Readable } from 'node:stream';
import { addAbortListener } from 'node:events';
import { describeValue } from '@kindling/helpers';
import type { CallBound } from './call-deadline.js';
import { ClientError } from './errors.js';
import type { HttpTransport, RawBody } from './http-transport.js';
import { sendStreamedGet } from './streamed-get.js';

/** The methods the guest HTTP route forwards. */
export type GuestHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const GUEST_HTTP_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The header the server puts on an answer that came from the guest (not one of its own errors). */
export const GUEST_ANSWER_HEADER = 'x-kindling-guest-answer';

/** What the guest's HTTP service answered: its status, headers and body, as it gave them. */
export interface GuestHttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** A tar archive to push: a stream, an async iterable of chunks, or the bytes. */
export type ArchiveSource = Readable | AsyncIterable<Uint8Array> | Uint8Array;

/** A tar archive pulled from a guest, streamed as it comes. */
export type ArchiveStream = Readable;

/** An archive as the transport sends it. */
export const rawBodyOf = (source: ArchiveSource): RawBody =>
  source instanceof Uint8Array || source instanceof Readable ? source : Readable.from(source);

/** `?path=<guest path>` for the file routes, or `ERR_INVALID_INPUT`. */
export const guestPathQuery = (guestPath: unknown): string => {
  if (typeof guestPath !== 'string' || guestPath === '') {
    throw new ClientError(
      'ERR_INVALID_INPUT',
      `guestPath: expected a path in the guest (a non-empty string, e.g. work/job), got ${describeValue(guestPath)}`,
    );
  }
  return `?path=${encodeURIComponent(guestPath)}`;
};

/** The path of a guest HTTP call after `/vsock/{port}`, or `ERR_INVALID_INPUT` naming the bad argument. */
export const guestHttpPath = (port: unknown, method: unknown, path: unknown): string => {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 4_294_967_294) {
    throw new ClientError(
      'ERR_INVALID_INPUT',
      `port: expected a vsock port (an integer from 1 to 4294967294, e.g. 8000), got ${describeValue(port)}`,
    );
  }
  if (typeof method !== 'string' || !GUEST_HTTP_METHODS.includes(method)) {
    throw new ClientError(
      'ERR_INVALID_INPUT',
      `method: expected one of ${GUEST_HTTP_METHODS.join(', ')}, got ${describeValue(method)}`,
    );
  }
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new ClientError(
      'ERR_INVALID_INPUT',
      `path: expected the guest's path starting with / (e.g. /ping), got ${describeValue(path)}`,
    );
  }
  return `/vsock/${port}${path}`;
};

/**
 * `GET` of a tar archive: resolves once its headers came (within `bound.timeoutMs`) with its body
 * streamed; the caller's signal abandons it at any time. A server error rejects with its code.
 */
export const openArchive = async (
  transport: HttpTransport,
  path: string,
  bound: CallBound,
): Promise<ArchiveStream> => {
  const { answer, controller } = await sendStreamedGet(transport, path, 'application/x-tar', bound);
  const { body } = answer;
  if (bound.signal !== undefined) {
    const callerAbort = addAbortListener(bound.signal, () =>
      controller.abort(bound.signal?.reason),
    );
    body.once('close', () => callerAbort[Symbol.dispose]());
  }
  return body;
};
