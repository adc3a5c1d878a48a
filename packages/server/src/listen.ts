// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod, chown, readFile, rm } from 'node:fs/promises';
import { canConnect } from '@kindling/helpers';
import type { FastifyInstance } from 'fastify';
import { ServerError } from './errors.js';
import type { ResolvedServerConfig } from './server-config.js';

/** Where a server listens. */
export interface ListenAddress {
  /** `unix:<socket>` or `http(s)://host:port`. */
  readonly address: string;
  readonly socketPath: string | undefined;
  readonly port: number | undefined;
}

/** Reads a secret (a token, a certificate, a key); a failure names the setting. */
export const readSecret = async (file: string, field: string): Promise<Buffer> => {
  try {
    return await readFile(file);
  } catch (error) {
    throw new ServerError(
      'ERR_INVALID_INPUT',
      `${field}: could not read ${file}: ${(error as Error).message}`,
      { field, cause: error },
    );
  }
};

/** The bearer token of a TCP listener, or undefined for a Unix socket (or insecureNoAuth). */
export const readToken = async (config: ResolvedServerConfig): Promise<string | undefined> => {
  const file = config.listen.tokenFile;
  if (config.listen.tcp === undefined || file === undefined) {
    return undefined;
  }
  const token = (await readSecret(file, 'listen.tokenFile')).toString('utf8').trim();
  if (token.length < 16) {
    throw new ServerError(
      'ERR_INVALID_INPUT',
      `listen.tokenFile: the token in ${file} is shorter than 16 characters; write a long random one (openssl rand -hex 32)`,
      { field: 'listen.tokenFile' },
    );
  }
  return token;
};

// A socket file left by a server that died: removed only when nothing answers on it.
const clearStaleSocket = async (socketPath: string): Promise<void> => {
  if (await canConnect(socketPath).catch(() => false)) {
    throw new ServerError(
      'ERR_INVALID_INPUT',
      `listen.socketPath: a server already listens on ${socketPath}; stop it, or give another socket`,
      { field: 'listen.socketPath' },
    );
  }
  await rm(socketPath, { force: true });
};

/**
 * Listens on the Unix socket (mode 0600, or 0660 and the group with `socketGroup`), or on TCP
 * (`host:port`; HTTPS when the app was built with TLS).
 */
export const listenOn = async (
  app: FastifyInstance,
  config: ResolvedServerConfig,
  tls: boolean,
): Promise<ListenAddress> => {
  const tcp = config.listen.tcp;
  if (tcp === undefined) {
    const socketPath = config.socketPath;
    await clearStaleSocket(socketPath);
    await app.listen({ path: socketPath });
    const group = config.listen.socketGroup;
    if (group !== undefined) {
      await chown(socketPath, process.getuid?.() ?? 0, group);
    }
    await chmod(socketPath, group === undefined ? 0o600 : 0o660);
    return { address: `unix:${socketPath}`, socketPath, port: undefined };
  }
  const colon = tcp.lastIndexOf(':');
  const host = tcp.slice(0, colon).replaceAll(/^\[|\]$/gu, '');
  await app.listen({ host, port: Number(tcp.slice(colon + 1)) });
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : undefined;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    address: `${tls ? 'https' : 'http'}://${shownHost}:${String(port)}`,
    socketPath: undefined,
    port,
  };
};
