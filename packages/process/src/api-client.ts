// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Socket } from 'node:net';
import type { Client, Dispatcher } from 'undici';
import { parseApiErrorBody } from './api-error-body.js';
import { ApiError, ProcessError, type ApiMethod } from './errors.js';
import { resolveNonEmptyString, resolveSignal, resolveTimeoutMs } from './option-checks.js';
import { createShortSocketPath, type ShortSocketPath } from './short-socket-path.js';
import { createUndiciClient } from './undici-client.js';

/** The timeout of a request when neither the client nor the request sets one. */
export const DEFAULT_API_TIMEOUT_MS = 10_000;

/** What a caller passes to create an `ApiClient`. */
export interface ApiClientOptions {
  /** The API socket as this process sees it (for a jailed VMM, the path inside the jail). */
  readonly socketPath: string;
  /** The timeout of each request unless the request sets its own; `Infinity` for none. */
  readonly timeoutMs?: number;
}

/** Something that checks a response body and returns it typed, e.g. a zod schema. */
export interface ResponseSchema<Body> {
  parse(value: unknown): Body;
}

/** Per-request options. */
export interface ApiRequestOptions<Body = unknown> {
  readonly signal?: AbortSignal;
  /** Overrides the client's timeout for this request; `Infinity` for none. */
  readonly timeoutMs?: number;
  /** Checks the body of a 200 before it is returned. */
  readonly schema?: ResponseSchema<Body>;
}

/** A successful answer: 204 without a body, or 200 with the parsed JSON body. */
export interface ApiResponse<Body = unknown> {
  readonly status: number;
  /** The parsed JSON body; `undefined` when Firecracker sent none (204). */
  readonly body: Body | undefined;
  /** Firecracker sent `Deprecation: true`: the request used a deprecated field. */
  readonly deprecated: boolean;
}

const JSON_TYPE = 'application/json';
// Firecracker's micro_http ignores any other value, `application/json; charset=utf-8` included.
// As flat arrays, which undici copies without walking an object's keys.
const GET_HEADERS = ['accept', JSON_TYPE];
const BODY_HEADERS = ['accept', JSON_TYPE, 'content-type', JSON_TYPE];
// Undici's own idle limit is 4 s; Firecracker never closes an idle connection, so keep it longer.
const KEEP_ALIVE_MS = 60_000;

/** What came back on the wire, before it is judged. */
interface RawAnswer {
  readonly status: number;
  readonly deprecated: boolean;
  readonly text: string;
}

const isHeaderTrue = (value: string | string[] | undefined): boolean =>
  (Array.isArray(value) ? value : [value]).some((item) => item?.trim().toLowerCase() === 'true');

// The reason a request is aborted with when its own timeout fires.
class RequestTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

// undici's ClientClosedError and ClientDestroyedError, by their stable codes.
const isClosedError = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_CLOSED' || code === 'UND_ERR_DESTROYED';
};

// Lets `VmmProcess` give a new client the connection that proved the socket ready, so that its
// first request does not open another; not part of the public options.
let handOverConnection: (options: ApiClientOptions, connection: Socket) => ApiClient;

/** An `ApiClient` whose first connection is `connection`, already open to the socket. */
export const createApiClientOn = (options: ApiClientOptions, connection: Socket): ApiClient =>
  handOverConnection(options, connection);

/**
 * A client for Firecracker's API over its Unix socket: one keep-alive connection (Firecracker
 * serves one request at a time) on which requests queue, each with a timeout and an optional
 * `AbortSignal`. Any status but 200 or 204 throws an `ApiError`.
 */
export class ApiClient implements AsyncDisposable {
  readonly socketPath: string;
  readonly #timeoutMs: number;
  readonly #client: Client;
  readonly #dropFirstConnection: () => void;
  readonly #connectPath: ShortSocketPath;
  #closing: Promise<void> | undefined;
  // Set only while the constructor runs for `createApiClientOn`.
  static #connection: Socket | undefined;

  static {
    handOverConnection = (options, connection) => {
      ApiClient.#connection = connection;
      try {
        return new ApiClient(options);
      } finally {
        ApiClient.#connection = undefined;
      }
    };
  }

  constructor(options: ApiClientOptions) {
    this.socketPath = resolveNonEmptyString('options.socketPath', options.socketPath);
    this.#timeoutMs = resolveTimeoutMs(
      'options.timeoutMs',
      options.timeoutMs,
      DEFAULT_API_TIMEOUT_MS,
    );
    // A jailed Firecracker's socket path often exceeds sockaddr_un's 108 bytes: connect by a link.
    this.#connectPath = createShortSocketPath(this.socketPath);
    try {
      const parts = createUndiciClient({
        connectPath: this.#connectPath.path,
        keepAliveMs: KEEP_ALIVE_MS,
        firstConnection: ApiClient.#connection,
      });
      this.#client = parts.client;
      this.#dropFirstConnection = parts.dropFirstConnection;
    } catch (error) {
      this.#connectPath[Symbol.dispose]();
      throw error;
    }
  }

  /** Whether `close()` or `destroy()` was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** Sends `GET path`. */
  get<Body = unknown>(path: string, options?: ApiRequestOptions<Body>): Promise<ApiResponse<Body>> {
    return this.request('GET', path, undefined, options);
  }

  /** Sends `PUT path` with `body` as JSON. */
  put<Body = unknown>(
    path: string,
    body: unknown,
    options?: ApiRequestOptions<Body>,
  ): Promise<ApiResponse<Body>> {
    return this.request('PUT', path, body, options);
  }

  /** Sends `PATCH path` with `body` as JSON (omit it for the body-less hinting calls). */
  patch<Body = unknown>(
    path: string,
    body?: unknown,
    options?: ApiRequestOptions<Body>,
  ): Promise<ApiResponse<Body>> {
    return this.request('PATCH', path, body, options);
  }

  /** Sends `DELETE path` (hot-unplug), which Firecracker requires to have no body. */
  delete<Body = unknown>(
    path: string,
    options?: ApiRequestOptions<Body>,
  ): Promise<ApiResponse<Body>> {
    return this.request('DELETE', path, undefined, options);
  }

  /**
   * Sends one request; `body` (when not `undefined`) is sent as JSON. Resolves for 200 and 204,
   * throws `ApiError` for any other status and `ProcessError` when the request could not complete.
   */
  async request<Body = unknown>(
    method: ApiMethod,
    path: string,
    body?: unknown,
    options: ApiRequestOptions<Body> = {},
  ): Promise<ApiResponse<Body>> {
    const where = `${method} ${path}`;
    if (!path.startsWith('/')) {
      throw new ProcessError(
        'ERR_INVALID_INPUT',
        `path: expected an absolute path such as "/machine-config", got ${JSON.stringify(path)}`,
      );
    }
    const signal = resolveSignal('options.signal', options.signal);
    const timeoutMs = resolveTimeoutMs('options.timeoutMs', options.timeoutMs, this.#timeoutMs);
    if (this.#closing !== undefined) {
      throw new ProcessError('ERR_API_CLOSED', `${where}: the API client is closed`);
    }
    signal?.throwIfAborted();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let answer: RawAnswer;
    try {
      answer = await this.#send({ method, path, payload, timeoutMs, signal });
    } catch (error) {
      throw this.#describeFailure(error, where, timeoutMs, signal);
    }
    const { status, deprecated, text } = answer;
    if (status !== 200 && status !== 204) {
      const parsed = parseApiErrorBody(text);
      throw new ApiError({
        status,
        method,
        path,
        firecrackerMessage: parsed.message,
        source: parsed.source,
      });
    }
    return { status, body: this.#parseBody(text, where, options.schema), deprecated };
  }

  // undici's dispatch, without the stream per response body that `request()` creates (Firecracker's
  // bodies are small and read whole anyway), and with one timer rather than a signal per request.
  #send(call: {
    readonly method: ApiMethod;
    readonly path: string;
    readonly payload: string | undefined;
    readonly timeoutMs: number;
    readonly signal: AbortSignal | undefined;
  }): Promise<RawAnswer> {
    const { signal, timeoutMs } = call;
    return new Promise<RawAnswer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let status = 0;
      let deprecated = false;
      let controller: Dispatcher.DispatchController | undefined;
      let failure: Error | undefined;
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (error: Error | undefined): void => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error === undefined) {
          const [first] = chunks;
          const text =
            chunks.length === 1 && first !== undefined
              ? first.toString('utf8')
              : Buffer.concat(chunks).toString('utf8');
          resolve({ status, deprecated, text });
        } else {
          reject(error);
        }
      };
      // A queued request has no controller yet: fail it now, and abort it once it is dispatched.
      const fail = (error: Error): void => {
        failure = error;
        controller?.abort(error);
        settle(error);
      };
      const onAbort = (): void => fail(signal?.reason as Error);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => fail(new RequestTimeout(timeoutMs)), timeoutMs);
      }
      this.#client.dispatch(
        {
          path: call.path,
          method: call.method,
          headers: call.payload === undefined ? GET_HEADERS : BODY_HEADERS,
          body: call.payload ?? null,
          // The timer above is the one timeout; undici's own would fire after 300 s regardless.
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        {
          onRequestStart: (started) => {
            controller = started;
            if (failure !== undefined) {
              started.abort(failure);
            }
          },
          onResponseStart: (_controller, statusCode, headers) => {
            status = statusCode;
            deprecated = isHeaderTrue(headers['deprecation']);
          },
          onResponseData: (_controller, chunk) => {
            chunks.push(chunk);
          },
          onResponseEnd: () => settle(undefined),
          onResponseError: (_controller, error) => settle(error),
        },
      );
    });
  }

  /** Waits for queued requests to finish, then closes the connection; safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.#release(this.#client.close());
    return this.#closing;
  }

  /** Closes the connection at once, failing queued requests; safe to call twice. */
  destroy(): Promise<void> {
    if (this.#client.destroyed) {
      return Promise.resolve();
    }
    const destroying = this.#release(this.#client.destroy());
    this.#closing ??= destroying;
    return destroying;
  }

  // The link to the socket goes once no connection can be made any more, however the close ends.
  async #release(closing: Promise<void>): Promise<void> {
    try {
      await closing;
    } finally {
      this.#dropFirstConnection();
      this.#connectPath[Symbol.dispose]();
    }
  }

  /** Same as `close()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #parseBody<Body>(
    text: string,
    where: string,
    schema: ResponseSchema<Body> | undefined,
  ): Body | undefined {
    if (text === '') {
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ProcessError(
        'ERR_API_BODY_INVALID',
        `${where}: Firecracker's answer is not JSON (${text.length} bytes): is this a Firecracker API socket?`,
        { cause: error },
      );
    }
    if (schema === undefined) {
      return json as Body;
    }
    try {
      return schema.parse(json);
    } catch (error) {
      throw new ProcessError(
        'ERR_API_BODY_INVALID',
        `${where}: Firecracker's answer does not match the expected schema: does this Firecracker version match?`,
        { cause: error },
      );
    }
  }

  #describeFailure(
    error: unknown,
    where: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): unknown {
    if (error instanceof RequestTimeout) {
      return new ProcessError(
        'ERR_API_TIMEOUT',
        `${where}: Firecracker did not answer within ${timeoutMs} ms: is the VMM stuck on a long request, or set a larger timeoutMs`,
        { cause: error },
      );
    }
    if (signal?.aborted === true) {
      return signal.reason;
    }
    if (isClosedError(error)) {
      return new ProcessError('ERR_API_CLOSED', `${where}: the API client is closed`, {
        cause: error,
      });
    }
    return new ProcessError(
      'ERR_API_REQUEST',
      isBrokenConnection(error)
        ? `${where}: Firecracker closed the connection over ${this.socketPath} without an answer: is the process running, and does its API server have fewer than 10 open connections (it refuses more at once)?`
        : `${where}: could not talk to Firecracker over ${this.socketPath}: is the process running?`,
      { cause: error },
    );
  }
}

// A connection the other side closed. micro_http writes its 503 to an 11th connection and closes
// it at once, so a request sent on it fails with EPIPE or a reset before the answer is read.
const isBrokenConnection = (error: unknown): boolean => {
  for (let current = error; typeof current === 'object' && current !== null;) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (
      code === 'EPIPE' ||
      code === 'ECONNRESET' ||
      (typeof message === 'string' && message.includes('other side closed'))
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
};
