// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { errorBodySchema } from './contract/error-body.js';
import { looseAnswer } from './contract/loose-answer.js';
import { ClientError } from './errors.js';
import type { ServerTarget } from './server-target.js';

/** What `HttpTransport` connects with. */
export interface HttpTransportOptions {
  readonly target: ServerTarget;
  readonly token?: string | undefined;
  readonly ca?: string | Uint8Array | undefined;
  readonly connections: number;
}

/** One request: the method, path, a JSON body (or none) and what ends it. */
export interface TransportRequest {
  readonly method: Dispatcher.HttpMethod;
  readonly path: string;
  readonly body?: unknown;
  /** A body sent as it is (a tar archive, a guest's HTTP body) instead of JSON, with its type. */
  readonly raw?: { readonly body: RawBody; readonly contentType: string | undefined };
  /** Headers sent as given (a guest HTTP request's). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly accept: string;
  readonly signal: AbortSignal;
  /** How long the server may take to send the headers (an event stream's body never ends). */
  readonly headersTimeoutMs?: number;
  /** For an event stream: no limit on the time between two chunks of the body. */
  readonly endlessBody?: boolean;
}

/** A body sent as bytes: a string, a buffer, or a stream. */
export type RawBody = string | Uint8Array | Readable;

/** An answer whose headers came; its body is still to be read. */
export type TransportAnswer = Dispatcher.ResponseData;

// Errors of connect(2), DNS and TLS, and undici's own for a connection that broke: the server
// is not there (or not that server), as opposed to an answer the client cannot read.
const UNREACHABLE = /^(E[A-Z]+|UND_ERR_(SOCKET|CONNECT_TIMEOUT|CLOSED)|ERR_TLS_.*|.*CERT.*)$/u;

/**
 * The HTTP connection pool to one server, over its Unix socket, TCP or TLS; every request carries
 * the bearer token when one is given.
 */
export class HttpTransport {
  readonly #pool: Pool;
  readonly #authorization: string | undefined;
  /** The server as a message names it. */
  readonly describe: string;

  constructor(options: HttpTransportOptions) {
    const { target } = options;
    this.describe = target.kind === 'unix' ? `unix:${target.socketPath}` : target.origin;
    this.#authorization = options.token === undefined ? undefined : `Bearer ${options.token}`;
    this.#pool = new Pool(target.kind === 'unix' ? 'http://localhost' : target.origin, {
      connections: options.connections,
      ...(target.kind === 'unix' ? { socketPath: target.socketPath } : {}),
      ...(options.ca === undefined ? {} : { connect: { ca: Buffer.from(options.ca) } }),
    });
  }

  /** Sends a request and resolves once its headers came; connection failures are `ERR_SERVER_UNREACHABLE`. */
  async send(request: TransportRequest): Promise<TransportAnswer> {
    const headers: Record<string, string> = { ...request.headers, accept: request.accept };
    if (this.#authorization !== undefined) {
      headers['authorization'] = this.#authorization;
    }
    let body: RawBody | null = null;
    if (request.raw !== undefined) {
      body = request.raw.body;
      if (request.raw.contentType !== undefined) {
        headers['content-type'] = request.raw.contentType;
      }
    } else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    try {
      return await this.#pool.request({
        method: request.method,
        path: request.path,
        headers,
        body,
        signal: request.signal,
        ...(request.headersTimeoutMs === undefined
          ? {}
          : { headersTimeout: request.headersTimeoutMs }),
        ...(request.endlessBody === true ? { bodyTimeout: 0 } : {}),
      });
    } catch (error) {
      throw this.#unreachable(request, error);
    }
  }

  /** The error an error answer (4xx, 5xx) stands for: the server's code, or `ERR_SERVER_RESPONSE`. */
  errorOf(
    request: { readonly method: string; readonly path: string },
    status: number,
    text: string,
  ): ClientError {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const answer = looseAnswer(errorBodySchema).safeParse(parsed);
    if (answer.success) {
      const { code, message, field } = answer.data.error;
      return new ClientError(code, message, { status, field });
    }
    return new ClientError(
      'ERR_SERVER_RESPONSE',
      `${request.method} ${request.path} at ${this.describe} answered ${status} without the server's { error: { code, message } } body (${JSON.stringify(text.slice(0, 200))}): is that a Kindling server?`,
      { status },
    );
  }

  #unreachable(request: TransportRequest, error: unknown): unknown {
    const code = (error as { code?: unknown } | null)?.code;
    if (request.signal.aborted || typeof code !== 'string' || !UNREACHABLE.test(code)) {
      return error;
    }
    return new ClientError(
      'ERR_SERVER_UNREACHABLE',
      `Could not reach the Kindling server at ${this.describe} (${(error as Error).message}): is \`kindling serve\` running there, and is this the right socket or URL?`,
      { cause: error },
    );
  }

  /** Closes the pool: waits for requests under way, then closes every connection. */
  close(): Promise<void> {
    return this.#pool.close();
  }

  /** Closes every connection at once, failing requests under way. */
  destroy(): Promise<void> {
    return this.#pool.destroy();
  }
}
