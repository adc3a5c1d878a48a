// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type * as Undici from 'undici';
import type { buildConnector as BuildConnector, Client as UndiciClient } from 'undici';

// undici's index loads all of undici (fetch, WebSocket, caches, mocks, proxies: about 13 MiB
// resident); an API client needs its HTTP/1.1 Client and the connector, which cost about half. Both
// are loaded at the first client, so that importing this package costs nothing of undici.
const load = createRequire(import.meta.url);
let modules:
  | { readonly Client: typeof UndiciClient; readonly buildConnector: typeof BuildConnector }
  | undefined;

// The two files are undici's internals (the version is pinned); should an undici the user
// substituted lay them out otherwise, its public index serves, at its full weight.
export const loadUndiciModules = (
  loadModule: (id: string) => unknown,
): NonNullable<typeof modules> => {
  try {
    return {
      Client: loadModule('undici/lib/dispatcher/client.js') as typeof UndiciClient,
      buildConnector: loadModule('undici/lib/core/connect.js') as typeof BuildConnector,
    };
  } catch {
    const undici = loadModule('undici') as typeof Undici;
    return { Client: undici.Client, buildConnector: undici.buildConnector };
  }
};

const loadUndici = (): NonNullable<typeof modules> => {
  modules ??= loadUndiciModules(load);
  return modules;
};

const HEADER_SIZE_LIMIT = 16 * 1024;

/** What `createUndiciClient` takes. */
export interface UndiciClientOptions {
  /** The path connect(2) takes (a short link for a long socket path). */
  readonly connectPath: string;
  readonly keepAliveMs: number;
  /**
   * A connection to the socket that is already open (the one that proved the socket ready): the
   * client's first connection, unless it broke meanwhile. Later connections are made as usual.
   */
  readonly firstConnection?: Socket | undefined;
}

/** An undici client, and how to close a first connection it never took. */
export interface UndiciClientParts {
  readonly client: UndiciClient;
  /** Closes the first connection if the client never took it (call it once the client is closed). */
  readonly dropFirstConnection: () => void;
}

/**
 * A client for one Unix socket with one connection at a time (Firecracker serves one request at
 * a time).
 */
export const createUndiciClient = (options: UndiciClientOptions): UndiciClientParts => {
  const { Client, buildConnector } = loadUndici();
  const connectFresh = buildConnector({ socketPath: options.connectPath });
  let handOver = options.firstConnection;
  const client = new Client('http://localhost', {
    pipelining: 1,
    // Node's default, given so that undici does not look it up through node:http (milliseconds
    // at the first client); Firecracker's answers are a few hundred bytes.
    maxHeaderSize: HEADER_SIZE_LIMIT,
    keepAliveTimeout: options.keepAliveMs,
    keepAliveMaxTimeout: options.keepAliveMs,
    connect: (connectOptions, callback) => {
      const socket = handOver;
      handOver = undefined;
      if (socket !== undefined && isUsable(socket)) {
        // Held unreferenced, so that an idle client keeps no Node alive; undici takes a socket as
        // referenced and unreferences it itself whenever it is idle.
        socket.ref();
        // Asynchronously, as a fresh connect answers: undici is still inside its own call here.
        queueMicrotask(() => callback(null, socket));
        return socket;
      }
      socket?.destroy();
      return connectFresh(connectOptions, callback);
    },
  });
  return {
    client,
    dropFirstConnection: () => {
      handOver?.destroy();
      handOver = undefined;
    },
  };
};

// Open both ways, and with no error or end seen while it waited for its first request.
const isUsable = (socket: Socket): boolean =>
  !socket.destroyed && socket.readyState === 'open' && socket.readableLength === 0;
