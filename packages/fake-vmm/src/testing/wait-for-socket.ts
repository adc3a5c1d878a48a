// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { type FSWatcher, watch } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';

const FIRST_DELAY_MS = 1;
const MAX_DELAY_MS = 50;

const tryConnect = (socketPath: string): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    // ENOENT or ECONNREFUSED: the fake has not bound or listened yet.
    socket.once('error', () => resolve(false));
  });

const openWatcher = (dir: string): FSWatcher | undefined => {
  try {
    return watch(dir, { persistent: false });
  } catch {
    // The folder does not exist yet (a jail being laid out): the back-off alone drives retries.
    return undefined;
  }
};

// Resolves on the first change in the socket's folder, after `delayMs`, or when aborted.
const waitForChange = (
  watcher: FSWatcher | undefined,
  delayMs: number,
  signal: AbortSignal,
): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      watcher?.off('change', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, delayMs);
    watcher?.on('change', done);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Waits until a Unix socket accepts a connection: retried on every change in its folder, with a
 * bounded back-off (1 ms doubling to 50 ms) as the fallback. Rejects with `signal.reason`.
 */
export const waitForSocket = async (socketPath: string, signal: AbortSignal): Promise<void> => {
  let watcher = openWatcher(path.dirname(socketPath));
  let delayMs = FIRST_DELAY_MS;
  try {
    for (;;) {
      signal.throwIfAborted();
      if (await tryConnect(socketPath)) {
        return;
      }
      signal.throwIfAborted();
      await waitForChange(watcher, delayMs, signal);
      delayMs = Math.min(delayMs * 2, MAX_DELAY_MS);
      watcher ??= openWatcher(path.dirname(socketPath));
    }
  } finally {
    watcher?.close();
  }
};
