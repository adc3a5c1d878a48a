// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { setTimeout as sleep } from 'node:timers/promises';
import { listenApiSocket, type ApiSocketServer } from '../http/api-socket-server.js';
import type { ApiRequestHandler } from './api/api-request-handler.js';
import { LOG_SITES } from './firecracker-logger.js';
import type { FirecrackerMetrics } from './firecracker-metrics.js';
import { describeIoError, systemErrorCode } from '../rust/io-error.js';
import { EXIT_CODES, failMain, type StartupIo } from './startup-failures.js';

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
 * Firecracker's `run_with_api`: binds the socket (after `KINDLING_FAKE_SOCKET_DELAY_MS`) and
 * serves it; a bind failure ends the process with 1 and `RunWithApi(…)` on stderr. Resolves
 * undefined in that case.
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
    // The main thread binds the socket before it starts the API thread: run_with_api's error.
    const ioError = describeIoError(error);
    end.exit(
      systemErrorCode(error) === 'EADDRINUSE'
        ? failMain(
            io,
            `RunWithApiError error: Failed to open the API socket at: ${options.socketPath}. Check that it is not already used.`,
            `RunWithApi(FailedToBindSocket(${JSON.stringify(options.socketPath)}))`,
            EXIT_CODES.generic,
          )
        : failMain(
            io,
            `RunWithApiError error: Failed to bind and run the HTTP server: IO error: ${ioError.display}`,
            `RunWithApi(FailedToBindAndRunHttpServer(IOError(${ioError.debug})))`,
            EXIT_CODES.generic,
          ),
    );
    return undefined;
  }
  logger.info(
    LOG_SITES.listening,
    `Listening on API socket (${JSON.stringify(options.socketPath)}).`,
  );
  logger.info(LOG_SITES.apiServer, 'API server started.');
  if (options.startTimeUs !== undefined) {
    // ProcessTimeReporter: start-up time since the jailer's --start-time-us.
    const startupUs = Math.max(0, Math.round(Date.now() * 1000 - options.startTimeUs));
    options.metrics.store('api_server', 'process_startup_time_us', startupUs);
  }
  return server;
};
