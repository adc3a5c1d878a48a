// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { startServer, type KindlingServer } from './kindling-server.js';
import type { ServerConfigInput } from './server-config.js';

/** What `serveUntilSignal` takes beyond the settings. */
export interface ServeUntilSignalOptions {
  /** Called once the server listens (print its address there). */
  readonly onListening?: (server: KindlingServer) => void;
  /** Called when a signal starts the graceful stop. */
  readonly onStopping?: (signal: NodeJS.Signals, shutdownVms: boolean) => void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs a server as this process's main job: starts it, and on SIGTERM or SIGINT stops accepting,
 * cancels calls under way, then shuts the VMs down (`shutdownVmsOnExit`) or leaves them running
 * for the next server. Resolves with the signal once the VMs are shut down; when they are left
 * running, it ends the process (exit code 0) instead of resolving.
 *
 * Leaving VMs running: `@kindling/process` kills a `VmmProcess` when its Node process exits (so
 * that a library never leaks one); a server hands its VMs on to the next server instead, so once
 * it has closed it takes those exit hooks off. Call this only in a process whose VMs are all the
 * server's.
 */
export const serveUntilSignal = async (
  config: ServerConfigInput,
  options: ServeUntilSignalOptions = {},
): Promise<NodeJS.Signals> => {
  const stop = new AbortController();
  const received = Promise.race(
    SIGNALS.map(async (signal) => {
      await once(process, signal, { signal: stop.signal });
      return signal;
    }),
  );
  // A rejected once() (the abort below) must not be reported as unhandled.
  received.catch(() => {});
  let server: KindlingServer;
  try {
    server = await startServer(config);
  } catch (error) {
    stop.abort();
    throw error;
  }
  options.onListening?.(server);
  const signal = await received;
  stop.abort();
  const shutdownVms = server.config.shutdownVmsOnExit;
  options.onStopping?.(signal, shutdownVms);
  await server.close({ shutdownVms });
  if (!shutdownVms) {
    // The VMs' processes are children Node still watches, which would keep it running: end it
    // here, without the exit hooks that would kill them.
    process.removeAllListeners('exit');
    process.exit(0);
  }
  return signal;
};
