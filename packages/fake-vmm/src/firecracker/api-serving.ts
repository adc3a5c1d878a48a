// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { setTimeout as sleep } from 'node:timers/promises';
import { listenApiSocket, type ApiSocketServer } from '../http/api-socket-server.js';
import type { ApiRequestHandler } from './api/api-request-handler.js';
import { LOG_SITES } from './firecracker-logger.js';
import type { FirecrackerMetrics } from './firecracker-metrics.js';
import { describeIoError, systemErrorCode } from '../rust/io-error.js';
import { EXIT_CODES, type StartupIo } from './startup-failures.js';

/** What the API thread needs. */
export interface ApiServingOptions {
  /** `--api-sock` as given (for messages). */
  readonly socketPath: string;
  /** The same path resolved in the chroot. */
  readonly resolvedPath: string;
  readonly delayMs: number;
  readonly payloadLimit: number;
  readonly startTimeUs: number | undefined;
  readonly handler: ApiRequestHandler;
  readonly metrics: FirecrackerMetrics;
}

/**
 * Firecracker's API thread: binds the socket (after `KINDLING_FAKE_SOCKET_DELAY_MS`) and serves
 * it; a bind failure ends the process with 1, without metrics or an "exiting" line
 * (`process::exit` in the API thread). Resolves undefined in that case.
 */
export const serveApi = async (
  io: StartupIo,
  options: ApiServingOptions,
): Promise<ApiSocketServer | undefined> => {
  const { logger, end } = io;
  if (options.delayMs > 0) {
    try {
      await sleep(options.delayMs, undefined, { signal: end.signal });
    } catch {
      return undefined;
    }
  }
  let server: ApiSocketServer;
  try {
    server = await listenApiSocket({
      path: options.resolvedPath,
      payloadLimit: options.payloadLimit,
      onEvent: (connection, event) => options.handler.onEvent(connection, event),
    });
  } catch (error) {
    logger.error(
      LOG_SITES.apiServer,
      systemErrorCode(error) === 'EADDRINUSE'
        ? `Failed to open the API socket at: ${options.socketPath}. Check that it is not already used.`
        : `Error creating the HTTP server: IO error: ${describeIoError(error).display}`,
    );
    end.exit(EXIT_CODES.generic);
    return undefined;
  }
  logger.info(LOG_SITES.apiServer, 'API server started.');
  if (options.startTimeUs !== undefined) {
    // ProcessTimeReporter: start-up time since the jailer's --start-time-us.
    const startupUs = Math.max(0, Math.round(Date.now() * 1000 - options.startTimeUs));
    options.metrics.store('api_server', 'process_startup_time_us', startupUs);
  }
  return server;
};
