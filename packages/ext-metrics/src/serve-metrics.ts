// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

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

/**
 * A quick start: serves `registry` at `GET /metrics` over HTTP (404 elsewhere). For a real
 * service, serve `registry.metrics()` from your own server instead.
 */
export const serveMetrics = async (
  registry: Registry,
  options: ServeMetricsOptions = {},
): Promise<MetricsServer> => {
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
  server.listen(options.port ?? 9464, options.host ?? '127.0.0.1');
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
