// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { chmod, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createExecAgent, type ExecAgentOptions } from './exec-agent.js';

/** Where and how a started agent listens. */
export interface StartExecAgentOptions extends ExecAgentOptions {
  /**
   * A Unix socket path (containing `/`), a TCP port, or `host:port`. In a guest, a vsock bridge
   * (socat) forwards port 10000 to the Unix socket.
   */
  readonly listen: string | number;
  /** Stops the agent when aborted. */
  readonly signal?: AbortSignal;
}

/** A listening agent. */
export interface RunningExecAgent extends AsyncDisposable {
  /** The Unix socket path, or `host:port` of the TCP listener. */
  readonly address: string;
  /** Stops listening and closes every connection; harmless twice. */
  close(): Promise<void>;
}

const parseListen = (
  listen: string | number,
): { path: string } | { host: string; port: number } => {
  if (typeof listen === 'number') {
    return { host: '127.0.0.1', port: listen };
  }
  if (listen.includes('/')) {
    return { path: listen };
  }
  const colon = listen.lastIndexOf(':');
  const port = Number(colon === -1 ? listen : listen.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 0xff_ff) {
    throw new TypeError(
      `listen: expected a Unix socket path, a port or host:port, got ${JSON.stringify(listen)}`,
    );
  }
  return { host: colon === -1 ? '127.0.0.1' : listen.slice(0, colon), port };
};

/** Starts an agent listening on a Unix socket (owner-only) or a TCP address. */
export const startExecAgent = async (options: StartExecAgentOptions): Promise<RunningExecAgent> => {
  const agent = createExecAgent(options);
  const where = parseListen(options.listen);
  const server = createServer((socket) => agent.serve(socket));
  if ('path' in where) {
    // A socket file left by an agent that died would make listen fail with EADDRINUSE.
    await rm(where.path, { force: true });
    server.listen(where.path);
  } else {
    server.listen(where.port, where.host);
  }
  await once(server, 'listening');
  if ('path' in where) {
    await chmod(where.path, 0o600);
  }
  const info = server.address();
  const address =
    typeof info === 'string' || info === null
      ? 'path' in where
        ? where.path
        : ''
      : `${info.address}:${info.port}`;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      agent.close();
    }));
  options.signal?.addEventListener('abort', () => void close(), { once: true });
  return { address, close, [Symbol.asyncDispose]: close };
};
