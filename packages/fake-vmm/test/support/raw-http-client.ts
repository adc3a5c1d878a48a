// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { existsSync, watch } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A response exactly as it came off the socket. */
export interface RawResponse {
  /** The status line without CRLF, e.g. `HTTP/1.1 204 ` (note the trailing space). */
  readonly statusLine: string;
  readonly status: number;
  /** Header lines in order, names as sent. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  /** The whole response text. */
  readonly raw: string;
  header(name: string): string | undefined;
}

const HEAD_END = Buffer.from('\r\n\r\n');

const ignore = (): void => {
  // Deliberately nothing.
};

/**
 * A deliberately dumb HTTP/1.1 client over a Unix socket: it writes exactly the bytes it is given
 * and parses responses by hand, so tests see the raw status line and header quirks.
 */
export class RawHttpClient {
  private buffer = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  private ended = false;
  readonly socket: Socket;
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiting?.();
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.ended = true;
        this.waiting?.();
        resolve();
      });
    });
    // A reset from the server shows up as 'close': the error itself adds nothing.
    socket.on('error', ignore);
  }

  static async connect(path: string): Promise<RawHttpClient> {
    const socket = createConnection(path);
    await once(socket, 'connect');
    return new RawHttpClient(socket);
  }

  send(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  private async waitForData(signal: AbortSignal): Promise<void> {
    if (this.ended) {
      throw new Error(
        `connection closed with ${this.buffer.length} unparsed bytes: ${JSON.stringify(this.buffer.toString())}`,
      );
    }
    signal.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting = () => {
        signal.removeEventListener('abort', onAbort);
        this.waiting = undefined;
        resolve();
      };
    });
  }

  /** Reads the next complete response. */
  async readResponse(timeoutMs = 20_000): Promise<RawResponse> {
    const signal = AbortSignal.timeout(timeoutMs);
    for (;;) {
      const headEnd = this.buffer.indexOf(HEAD_END);
      if (headEnd !== -1) {
        const head = this.buffer.toString('latin1', 0, headEnd);
        const [statusLine = '', ...lines] = head.split('\r\n');
        const headers = lines.map((line): [string, string] => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon), line.slice(colon + 1).trim()];
        });
        const lengthHeader = headers.find(([name]) => name.toLowerCase() === 'content-length');
        const length = lengthHeader === undefined ? 0 : Number(lengthHeader[1]);
        const total = headEnd + HEAD_END.length + length;
        if (this.buffer.length >= total) {
          const raw = this.buffer.subarray(0, total);
          this.buffer = this.buffer.subarray(total);
          return {
            statusLine,
            status: Number(statusLine.split(' ')[1]),
            headers,
            body: raw.toString('utf8', headEnd + HEAD_END.length),
            raw: raw.toString('utf8'),
            header: (name) =>
              headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1],
          };
        }
      }
      await this.waitForData(signal);
    }
  }

  /** Sends a request with `Content-Length` when there is a body, and reads its response. */
  request(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: readonly string[] = [],
  ): Promise<RawResponse> {
    const text =
      body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers = [
      'Host: localhost',
      'Accept: application/json',
      ...(text === undefined
        ? []
        : ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(text)}`]),
      ...extraHeaders,
    ];
    this.send(`${method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${text ?? ''}`);
    return this.readResponse();
  }

  /** The bytes received but not yet parsed as a response. */
  get pending(): string {
    return this.buffer.toString('utf8');
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The `fault_message` of a Firecracker error body. */
export const faultOf = (response: RawResponse): string =>
  (JSON.parse(response.body) as { fault_message: string }).fault_message;

/**
 * Waits for the socket file (a folder watch), then for it to accept a connection. The bound is
 * generous (as test-utils' TEST_WAIT_MS, which this package cannot import): a loaded machine
 * starts a fake VMM slowly, and only a hang should fail here.
 */
export const waitForSocket = async (
  dir: string,
  socketPath: string,
  timeoutMs = 20_000,
): Promise<void> => {
  const signal = AbortSignal.timeout(timeoutMs);
  if (!existsSync(socketPath)) {
    await new Promise<void>((resolve, reject) => {
      const watcher = watch(dir, () => {
        if (existsSync(socketPath)) {
          watcher.close();
          resolve();
        }
      });
      signal.addEventListener('abort', () => {
        watcher.close();
        reject(new Error(`${socketPath} never appeared`));
      });
      if (existsSync(socketPath)) {
        watcher.close();
        resolve();
      }
    });
  }
  // The file exists from bind(2); listen(2) follows at once: retry a refused connect briefly.
  for (let delayMs = 1; ; delayMs = Math.min(delayMs * 2, 50)) {
    try {
      const client = await RawHttpClient.connect(socketPath);
      client.close();
      return;
    } catch (error) {
      signal.throwIfAborted();
      if ((error as { code?: string }).code !== 'ECONNREFUSED') {
        throw error;
      }
      await sleep(delayMs, undefined, { signal });
    }
  }
};
