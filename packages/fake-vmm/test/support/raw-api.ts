// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';

/** One response of the API: status and body text. */
export interface ApiResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * A raw keep-alive HTTP/1.1 client over a Unix socket, one request at a time, reading each
 * response by its Content-Length (Firecracker's status line has no reason phrase).
 */
export class RawApiClient {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #wake: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake?.();
    });
    socket.on('close', () => this.#wake?.());
  }

  static async connect(socketPath: string): Promise<RawApiClient> {
    const socket = createConnection(socketPath);
    await once(socket, 'connect');
    return new RawApiClient(socket);
  }

  async request(method: string, target: string, body?: unknown): Promise<ApiResponse> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const headers = [`${method} ${target} HTTP/1.1`, 'Accept: application/json'];
    if (body !== undefined) {
      headers.push(
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(payload)}`,
      );
    }
    this.#socket.write(`${headers.join('\r\n')}\r\n\r\n${payload}`);
    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd !== -1) {
        const head = this.#buffer.toString('latin1', 0, headerEnd);
        const length = Number(/content-length:\s*(\d+)/iu.exec(head)?.[1] ?? '0');
        const total = headerEnd + 4 + length;
        if (this.#buffer.length >= total) {
          const text = this.#buffer.toString('utf8', headerEnd + 4, total);
          this.#buffer = this.#buffer.subarray(total);
          return { status: Number(head.split(' ')[1]), body: text };
        }
      }
      if (this.#socket.destroyed) {
        throw new Error(`the connection closed before the response to ${method} ${target}`);
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }

  close(): void {
    this.#socket.destroy();
  }
}

/** Sends one request on a fresh connection. */
export const apiRequest = async (
  socketPath: string,
  method: string,
  target: string,
  body?: unknown,
): Promise<ApiResponse> => {
  const client = await RawApiClient.connect(socketPath);
  try {
    return await client.request(method, target, body);
  } finally {
    client.close();
  }
};
