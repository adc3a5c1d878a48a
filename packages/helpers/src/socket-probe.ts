// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import net from 'node:net';
import path from 'node:path';
import { pollUntil } from './poll-until.js';

/**
 * Resolves true when something accepts a connection on the Unix socket `socketPath` (the
 * connection is closed at once), false when the connect fails: ENOENT while nothing has bound the
 * path, ECONNREFUSED between bind(2) and listen(2) or on a stale socket. Rejects with the
 * signal's reason when `signal` aborts the attempt.
 */
export const canConnect = (socketPath: string, signal?: AbortSignal): Promise<boolean> =>
  new Promise((resolve, reject) => {
    const socket = net.connect({ path: socketPath, ...(signal === undefined ? {} : { signal }) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      if (signal?.aborted === true) {
        reject(signal.reason as Error);
      } else {
        resolve(false);
      }
    });
  });

/**
 * Waits until `socketPath` accepts connections: tried on every change in its folder, with a
 * bounded back-off as the fallback. Rejects with `signal.reason` when the signal aborts.
 */
export const waitUntilConnectable = async (
  socketPath: string,
  options: { readonly signal: AbortSignal; readonly watchFolder?: string },
): Promise<void> => {
  await pollUntil(async () => ((await canConnect(socketPath)) ? true : null), {
    signal: options.signal,
    // bind(2) and listen(2) are microseconds apart: start fast, stay tight without a watch.
    backOff: { minDelayMs: 1, maxDelayMs: 50 },
    watchFolder: options.watchFolder ?? path.dirname(socketPath),
  });
};
