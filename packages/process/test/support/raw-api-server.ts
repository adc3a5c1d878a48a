// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A request as the raw server parsed it. */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  /** Header names in lower case, values verbatim. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Which connection (0-based, in accept order) carried it. */
  readonly connection: number;
}

/** What the raw server writes back: a status, extra headers and a body, exactly as given. */
export interface RawResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type RawHandler = (request: RawRequest) => RawResponse | Promise<RawResponse>;

/** A Unix-socket HTTP/1.1 server that answers like Firecracker's micro_http. */
export interface RawApiServer extends AsyncDisposable {
  readonly socketPath: string;
  readonly requests: RawRequest[];
  /** How many connections were accepted. */
  readonly connections: () => number;
}

const HEADER_END = '\r\n\r\n';

const parseHead = (head: string): Omit<RawRequest, 'body' | 'connection'> => {
  const [requestLine = '', ...lines] = head.split('\r\n');
  const [method = '', target = ''] = requestLine.split(' ');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { method, path: target, headers };
};

/**
 * Writes a response the way micro_http does: no reason phrase, `Server: Firecracker API`,
 * `Connection: keep-alive`, and `Content-Type`/`Content-Length` only when there is a body.
 */
export const formatResponse = (response: RawResponse): string => {
  const lines = [
    `HTTP/1.1 ${response.status} `,
    'Server: Firecracker API',
    'Connection: keep-alive',
  ];
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    lines.push(`${name}: ${value}`);
  }
  if (response.body !== undefined) {
    lines.push(
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(response.body)}`,
    );
  }
  return `${lines.join('\r\n')}${HEADER_END}${response.body ?? ''}`;
};

/** Starts a raw server on a socket in a new temporary folder; disposing it removes both. */
export const startRawApiServer = async (handler: RawHandler): Promise<RawApiServer> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-raw-api-'));
  const socketPath = path.join(dir, 'api.sock');
  const requests: RawRequest[] = [];
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    const connection = accepted;
    accepted += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = Buffer.alloc(0);
    // One request at a time, as Firecracker serves them.
    let busy = false;
    const pump = async (): Promise<void> => {
      if (busy) {
        return;
      }
      busy = true;
      for (;;) {
        const end = buffer.indexOf(HEADER_END);
        if (end === -1) {
          break;
        }
        const head = parseHead(buffer.subarray(0, end).toString('latin1'));
        const length = Number(head.headers['content-length'] ?? '0');
        const total = end + HEADER_END.length + length;
        if (buffer.length < total) {
          break;
        }
        const body = buffer.subarray(end + HEADER_END.length, total).toString('utf8');
        buffer = buffer.subarray(total);
        const request = { ...head, body, connection };
        requests.push(request);
        const response = await handler(request);
        if (socket.destroyed) {
          break;
        }
        socket.write(formatResponse(response));
      }
      busy = false;
    };
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      void pump();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    socketPath,
    requests,
    connections: () => accepted,
    async [Symbol.asyncDispose]() {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      await rm(dir, { recursive: true, force: true });
    },
  };
};
