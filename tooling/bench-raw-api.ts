// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The Node baseline's side of Firecracker's API, written by hand as a careful programmer would
// without an SDK: fs.watch on the socket's folder and a connect attempt on each change there,
// then HTTP/1.1 written by hand on that one keep-alive connection. Node built-ins only.

import { watch } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');

/** An answer of Firecracker's API: the status and the body's text (empty for a 204). */
export interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

/** One keep-alive connection to Firecracker's API socket, one request at a time. */
export class RawApi {
  readonly socket: net.Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #pending: { resolve: (answer: RawAnswer) => void; reject: (error: Error) => void } | undefined;

  constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#take();
    });
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('the API connection closed')));
  }

  /** Sends one request and resolves with the whole answer; `body` is sent as JSON. */
  request(method: string, target: string, body?: unknown): Promise<RawAnswer> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const head =
      body === undefined
        ? `${method} ${target} HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n`
        : `${method} ${target} HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n`;
    return new Promise<RawAnswer>((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.socket.write(head + payload);
    });
  }

  /** Sends one request and fails unless Firecracker answers with a 2xx status. */
  async call(method: string, target: string, body?: unknown): Promise<RawAnswer> {
    const answer = await this.request(method, target, body);
    if (answer.status < 200 || answer.status > 299) {
      throw new Error(`${method} ${target}: ${answer.status} ${answer.body}`);
    }
    return answer;
  }

  close(): void {
    this.#pending = undefined;
    this.socket.destroy();
  }

  #take(): void {
    const end = this.#buffer.indexOf(HEADER_END);
    if (end === -1) {
      return;
    }
    const head = this.#buffer.subarray(0, end).toString('latin1');
    const length = Number(/content-length:\s*(\d+)/iu.exec(head)?.[1] ?? '0');
    const bodyStart = end + HEADER_END.length;
    if (this.#buffer.length < bodyStart + length) {
      return;
    }
    const status = Number(head.slice(9, 12));
    const body = this.#buffer.subarray(bodyStart, bodyStart + length).toString('utf8');
    this.#buffer = this.#buffer.subarray(bodyStart + length);
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.resolve({ status, body });
  }

  #fail(error: Error): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
  }
}

// A connection, or the errno of a refused attempt.
const tryConnect = (socketPath: string): Promise<net.Socket | string> =>
  new Promise((resolve) => {
    const socket = net.connect(socketPath);
    const onError = (error: NodeJS.ErrnoException): void => {
      socket.destroy();
      resolve(error.code ?? 'EUNKNOWN');
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });

/**
 * Resolves with a connection to `socketPath` as soon as it accepts one: a watch on its folder
 * (armed before the first attempt, so no change is missed) triggers an attempt per change; a
 * missing socket waits for the next change, a refused one (bound, not yet listening) is tried
 * again after 1 ms. Fails after `timeoutMs`.
 */
export const connectWhenReady = (socketPath: string, timeoutMs: number): Promise<net.Socket> =>
  new Promise<net.Socket>((resolve, reject) => {
    const name = path.basename(socketPath);
    let attempting = false;
    let again = false;
    let done = false;
    let retry: NodeJS.Timeout | undefined;
    const watcher = watch(path.dirname(socketPath), (_event, file) => {
      if (file === name) {
        attempt();
      }
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${socketPath} did not accept a connection within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (): void => {
      done = true;
      watcher.close();
      clearTimeout(timer);
      clearTimeout(retry);
    };
    const attempt = (): void => {
      if (done) {
        return;
      }
      if (attempting) {
        again = true;
        return;
      }
      attempting = true;
      void settleAttempt();
    };
    const settleAttempt = async (): Promise<void> => {
      const socket = await tryConnect(socketPath);
      attempting = false;
      if (typeof socket !== 'string') {
        if (done) {
          socket.destroy();
          return;
        }
        finish();
        resolve(socket);
      } else if (again) {
        again = false;
        attempt();
      } else if (socket !== 'ENOENT') {
        // Bound but not listening yet: no further change will come, so look again shortly.
        retry = setTimeout(attempt, 1);
      }
    };
    attempt();
  });
