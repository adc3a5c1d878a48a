// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeValue } from '@kindling/helpers';
import type { Registry } from 'prom-client';
import { MetricsError } from './errors.js';

/** What `serveMetrics` takes. */
export interface ServeMetricsOptions {
  /** The TCP port; default 9464 (0: any free port). */
  readonly port?: number;
  /** The address to listen on; default `127.0.0.1`. */
  readonly host?: string;
}

/** A running `/metrics` server: its URL, and `close()` (also `await using`). */
export interface MetricsServer extends AsyncDisposable {
  readonly url: string;
  close(): Promise<void>;
}

const DEFAULT_PORT = 9464;
const DEFAULT_HOST = '127.0.0.1';

const invalid = (message: string) => new MetricsError('ERR_INVALID_INPUT', message);

// Checked before listening: a bad port would throw a RangeError from net, a bad registry fail
// only at the first scrape.
const checkServeInput = (registry: unknown, options: ServeMetricsOptions): void => {
  if (typeof (registry as Partial<Registry> | null)?.metrics !== 'function') {
    throw invalid(
      `serveMetrics registry: must be a prom-client Registry, got ${describeValue(registry)}`,
    );
  }
  const { port, host } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw invalid(
      `serveMetrics options.port: must be an integer from 0 to 65535, got ${describeValue(port)}`,
    );
  }
  if (host !== undefined && (typeof host !== 'string' || host === '' || host.includes('\0'))) {
    throw invalid(
      `serveMetrics options.host: must be a host name or address, got ${describeValue(host)}`,
    );
  }
};

/**
 * A quick start: serves `registry` at `GET /metrics` over HTTP (404 elsewhere). For a real
 * service, serve `registry.metrics()` from your own server instead.
 */
export const serveMetrics = async (
  registry: Registry,
  options: ServeMetricsOptions = {},
): Promise<MetricsServer> => {
  checkServeInput(registry, options ?? {});
  const { port: wantedPort = DEFAULT_PORT, host = DEFAULT_HOST } = options ?? {};
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  server.listen(wantedPort, host);
  await once(server, 'listening');
  const { address, port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  };
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`,
    close,
    [Symbol.asyncDispose]: close,
  };
};
