// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { closeKeepingSocketFile } from './close-keeping-socket.js';
import { HttpRequestParser, type HttpParseEvent } from './http-request-parser.js';
import { SERVER_FULL_RESPONSE } from './http-response.js';

/** micro_http's `MAX_CONNECTIONS`. */
export const MAX_API_CONNECTIONS = 10;

/** One client connection of the API socket. */
export interface ApiConnection {
  readonly id: number;
  /** Writes bytes unless the client has gone. */
  write(bytes: Buffer): void;
  /** Closes the connection without an answer. */
  destroy(): void;
  readonly closed: boolean;
}

/** Options of `listenApiSocket`. */
export interface ApiSocketOptions {
  readonly path: string;
  /** `--http-api-max-payload-size`. */
  readonly payloadLimit: number;
  /** Called for every parse event of every connection, in the order the bytes arrived. */
  readonly onEvent: (connection: ApiConnection, event: HttpParseEvent) => void;
}

/** The listening API socket. */
export interface ApiSocketServer {
  /** Stops listening and closes every connection; the socket file is left in place, like Firecracker does. */
  close(): Promise<void>;
}

const attach = (socket: Socket, id: number, options: ApiSocketOptions): void => {
  const parser = new HttpRequestParser(options.payloadLimit);
  const connection: ApiConnection = {
    id,
    write: (bytes) => {
      if (!socket.destroyed && socket.writable) {
        socket.write(bytes);
      }
    },
    destroy: () => {
      socket.destroy();
    },
    get closed() {
      return socket.destroyed;
    },
  };
  socket.on('data', (chunk: Buffer) => {
    for (const event of parser.push(chunk)) {
      options.onEvent(connection, event);
    }
  });
  // A client that resets its connection is simply gone, as in micro_http.
  socket.on('error', () => {
    socket.destroy();
  });
};

/** Binds the API socket (failing with EADDRINUSE if the path exists) and serves connections. */
export const listenApiSocket = async (options: ApiSocketOptions): Promise<ApiSocketServer> => {
  const sockets = new Set<Socket>();
  const refused = new Set<Socket>();
  let nextId = 1;
  const server: Server = createServer({ allowHalfOpen: false }, (socket) => {
    if (sockets.size >= MAX_API_CONNECTIONS) {
      // micro_http answers 503 to an 11th connection and closes it, whatever the client does.
      refused.add(socket);
      socket.once('close', () => refused.delete(socket));
      socket.on('error', () => socket.destroy());
      // Written, then closed outright as micro_http's close(2) does: end() would half-close first,
      // and a client writing between our FIN and the destroy would see its write accepted.
      socket.write(SERVER_FULL_RESPONSE, () => socket.destroy());
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    attach(socket, nextId, options);
    nextId += 1;
  });
  server.listen(options.path);
  try {
    // `once` rejects when 'error' comes first (EADDRINUSE, ENOENT, …).
    await once(server, 'listening');
  } catch (error) {
    server.close();
    throw error;
  }
  return {
    close: async () => {
      for (const socket of [...sockets, ...refused]) {
        socket.destroy();
      }
      await closeKeepingSocketFile(server, options.path);
    },
  };
};
