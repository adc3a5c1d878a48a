// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { renameSync } from 'node:fs';
import type { Server } from 'node:net';

/**
 * Closes a server listening on a Unix socket but leaves the socket file in place, as Firecracker
 * does with its API and vsock sockets (libuv unlinks the path of a pipe server it closes, so the
 * file steps aside for the close and comes back after).
 */
export const closeKeepingSocketFile = async (server: Server, path: string): Promise<void> => {
  const aside = `${path}.closing-${process.pid}`;
  let moved = false;
  try {
    renameSync(path, aside);
    moved = true;
  } catch {
    // The file is already gone (someone removed it): there is nothing to keep.
  }
  // libuv unlinks the path as soon as `close()` closes the handle; open connections only delay
  // the callback. Putting the file back in the same tick leaves no window in which a SIGKILL (a
  // caller's shutdown falling through to kill) strands it under its aside name.
  const closed = server.listening
    ? new Promise<void>((resolve) => {
        server.close(() => resolve());
      })
    : Promise.resolve();
  if (moved) {
    renameSync(aside, path);
  }
  await closed;
};
