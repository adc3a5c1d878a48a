// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import http2 from 'node:http2';
import type { Socket } from 'node:net';
import { Code, ConnectError } from '@connectrpc/connect';
import type { GrpcTransportOptions } from '@connectrpc/connect-node';

/** What Connect's gRPC transport asks of the manager of its HTTP/2 connection. */
export type SessionManager = NonNullable<GrpcTransportOptions['sessionManager']>;

/** Opens one vsock connection to the guest port, positioned after the `OK` line. */
export type OpenVsockSocket = (signal: AbortSignal) => Promise<Socket>;

// The authority of every request: the guest is reached by port, never by name.
export const GUEST_ORIGIN = 'http://guest';

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

interface Connection {
  readonly session: http2.ClientHttp2Session;
  readonly socket: Socket;
  streams: number;
}

/**
 * Keeps one HTTP/2 connection to the guest port, opened with the VM's vsock handshake before
 * `node:http2` sees it (Connect's own manager connects synchronously, which a handshake is not).
 * The handshake's socket goes to `node:http2` as it is: a native socket whose bytes after the
 * `OK` line were put back, which `node:http2` reads first (nodejs/node#35475), so the guest's
 * SETTINGS are not lost. A connection that is lost, ends or is closed is replaced by the next call.
 */
export class VsockSessionManager implements SessionManager {
  readonly authority = GUEST_ORIGIN;
  readonly #open: OpenVsockSocket;
  readonly #where: string;
  #connection: Connection | undefined;
  #opening: Promise<Connection> | undefined;
  #abort = new AbortController();

  /** `where` names the guest port in messages, e.g. `guest port 9000 over vsock`. */
  constructor(open: OpenVsockSocket, where: string) {
    this.#open = open;
    this.#where = where;
  }

  async request(
    method: string,
    path: string,
    headers: http2.OutgoingHttpHeaders,
    options: Omit<http2.ClientSessionRequestOptions, 'signal'>,
  ): Promise<http2.ClientHttp2Stream> {
    let connection = await this.#connect();
    let stream: http2.ClientHttp2Stream;
    try {
      stream = connection.session.request(
        { ...headers, ':method': method, ':path': path },
        options,
      );
    } catch (error) {
      // The connection closed between the check and the request (a GOAWAY, the guest's end):
      // once more on a new one; any other failure is the call's.
      if (!connection.session.closed && !connection.session.destroyed) {
        throw error;
      }
      this.#forget(connection);
      connection = await this.#connect();
      stream = connection.session.request(
        { ...headers, ':method': method, ':path': path },
        options,
      );
    }
    // An idle connection does not keep the process alive; one with calls open does.
    connection.streams += 1;
    connection.session.ref();
    stream.once('close', () => {
      connection.streams -= 1;
      if (connection.streams === 0 && !connection.session.destroyed) {
        connection.session.unref();
      }
    });
    return stream;
  }

  notifyResponseByteRead(): void {
    // No keep-alive PINGs to put off: the connection is a local socket, and its loss is seen.
  }

  /** Closes the connection (its calls fail with `CANCELED`); a later call opens a new one. */
  close(): void {
    this.#abort.abort(new ConnectError('the transport was closed', Code.Canceled));
    this.#abort = new AbortController();
    this.#opening = undefined;
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.session.destroy(
      new ConnectError('the transport was closed', Code.Canceled),
      http2.constants.NGHTTP2_CANCEL,
    );
  }

  #connect(): Promise<Connection> {
    const current = this.#connection;
    if (current !== undefined && !current.session.closed && !current.session.destroyed) {
      return Promise.resolve(current);
    }
    this.#opening ??= this.#openConnection().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  #forget(connection: Connection): void {
    if (this.#connection === connection) {
      this.#connection = undefined;
    }
  }

  #lost(detail: string, cause?: unknown): ConnectError {
    return new ConnectError(
      `the connection to ${this.#where} was lost: ${detail} (the VM exited or was snapshotted, or the guest's service stopped)`,
      Code.Unavailable,
      undefined,
      undefined,
      cause,
    );
  }

  async #openConnection(): Promise<Connection> {
    const signal = this.#abort.signal;
    let socket: Socket;
    try {
      socket = await this.#open(signal);
    } catch (error) {
      throw signal.aborted
        ? (signal.reason as Error)
        : new ConnectError(
            `could not connect to ${this.#where}: ${messageOf(error)}`,
            Code.Unavailable,
            undefined,
            undefined,
            error,
          );
    }
    const session = http2.connect(GUEST_ORIGIN, { createConnection: () => socket });
    session.unref();
    const connection: Connection = { session, socket, streams: 0 };
    // Ahead of node:http2's own listeners: the calls open fail with UNAVAILABLE, which says the
    // connection is gone, rather than with the socket's ECONNRESET (ABORTED) or CANCEL.
    socket.prependOnceListener('error', (error) => {
      session.destroy(this.#lost(error.message, error));
    });
    socket.prependOnceListener('end', () => {
      session.destroy(this.#lost('the guest closed it'));
    });
    // The calls on the session see its failures through their streams; the session itself is
    // only replaced, so its 'error' needs no one else to hear it.
    session.on('error', () => {});
    const forget = (): void => this.#forget(connection);
    session.once('close', forget);
    session.once('goaway', forget);
    this.#connection = connection;
    return connection;
  }
}
