// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

// `sockaddr_un.sun_path` holds 108 bytes with its NUL: connect(2) refuses a longer path.
const SUN_PATH_MAX = 108;

/** A path connect(2) accepts for a Unix socket, valid until disposed. */
export interface ReachableSocketPath extends AsyncDisposable {
  readonly path: string;
}

/**
 * Returns a path to connect to `socketPath` by. A path over the `sockaddr_un` limit (a deep
 * jail's vsock socket) is reached through its folder's file descriptor,
 * `/proc/self/fd/<fd>/<name>`, which nothing has to create or remove; disposing closes the fd.
 */
export const reachSocketPath = async (socketPath: string): Promise<ReachableSocketPath> => {
  if (Buffer.byteLength(socketPath) < SUN_PATH_MAX) {
    return { path: socketPath, [Symbol.asyncDispose]: () => Promise.resolve() };
  }
  const folder: FileHandle = await open(path.dirname(socketPath), 'r');
  return {
    path: `/proc/self/fd/${folder.fd}/${path.basename(socketPath)}`,
    [Symbol.asyncDispose]: () => folder.close(),
  };
};
