// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { stat } from 'node:fs/promises';
import { ensurePrivateFolder } from '@kindling/helpers';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './build-app.js';
import { createServices } from './create-services.js';
import { ServerError } from './errors.js';
import { listenOn, readSecret, readToken } from './listen.js';
import {
  parseServerConfig,
  type ResolvedServerConfig,
  type ServerConfigInput,
} from './server-config.js';
import type { RecoveryReport } from './vm-registry.js';

/** A running server: where it listens, and how to stop it. */
export interface KindlingServer {
  /** `unix:<socket>` or `http(s)://host:port`. */
  readonly address: string;
  /** The Unix socket, when it listens on one. */
  readonly socketPath: string | undefined;
  /** The TCP port, when it listens on TCP. */
  readonly port: number | undefined;
  readonly config: ResolvedServerConfig;
  /** What it found in its state folder at start: VMs re-adopted and VMs cleaned up. */
  readonly recovered: RecoveryReport;
  /** Every route the app has, as `METHOD /url` (Fastify's own syntax: `:id`, `*`). */
  readonly routes: readonly string[];
  /** The Fastify app (for `inject` in tests, or more routes). */
  readonly app: FastifyInstance;
  /**
   * Stops accepting calls, cancels those under way, ends event streams, then shuts every VM
   * down (`shutdownVms`, default the config's `shutdownVmsOnExit`) or leaves them recorded for
   * the next server.
   */
  close(options?: { readonly shutdownVms?: boolean }): Promise<void>;
}

const checkFolder = async (folder: string, field: string): Promise<void> => {
  const info = await stat(folder).catch(() => null);
  if (info?.isDirectory() !== true) {
    throw new ServerError(
      'ERR_INVALID_INPUT',
      `${field}: ${folder} is not a folder; create it, or name another`,
      { field },
    );
  }
};

/**
 * Starts a server: checks its settings, finds the VMs a previous server left (re-adopting the
 * running ones, cleaning up the dead), then listens on its Unix socket (mode 0600, or 0660 with
 * `socketGroup`) or on TCP with a bearer token and optionally TLS.
 */
export const startServer = async (input: ServerConfigInput): Promise<KindlingServer> => {
  const config = parseServerConfig(input);
  await checkFolder(config.imagesDir, 'imagesDir');
  const problem = await ensurePrivateFolder(config.stateDir);
  if (problem !== undefined) {
    throw new ServerError(
      'ERR_INVALID_INPUT',
      `stateDir: ${config.stateDir} ${problem}; give a folder only this user can write to`,
      { field: 'stateDir' },
    );
  }
  const token = await readToken(config);
  const tls =
    config.listen.tlsCertFile === undefined || config.listen.tlsKeyFile === undefined
      ? undefined
      : {
          cert: await readSecret(config.listen.tlsCertFile, 'listen.tlsCertFile'),
          key: await readSecret(config.listen.tlsKeyFile, 'listen.tlsKeyFile'),
        };
  const stop = new AbortController();
  const services = await createServices(config, stop.signal);
  const { registry } = services;
  const recovered = registry.recovered;
  const routes: string[] = [];
  const app = await buildApp(services, {
    token,
    https: tls,
    onRoute: (method, url) => routes.push(`${method} ${url}`),
  });

  const { address, socketPath, port } = await listenOn(app, config, tls !== undefined);

  let closing: Promise<void> | undefined;
  return {
    address,
    socketPath,
    port,
    config,
    recovered,
    routes,
    app,
    close: (options = {}) => {
      closing ??= (async () => {
        stop.abort(new ServerError('ERR_SERVER_STOPPING', 'The server is stopping'));
        await app.close();
        await registry.close(options.shutdownVms ?? config.shutdownVmsOnExit);
      })();
      return closing;
    },
  };
};
