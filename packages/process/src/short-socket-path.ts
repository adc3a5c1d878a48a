// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProcessError } from './errors.js';

/**
 * The size of `sockaddr_un.sun_path`, its terminating NUL included: connect(2) fails (EINVAL,
 * ENAMETOOLONG in Node) for a path of this many bytes or more, though the socket itself is fine.
 */
export const SUN_PATH_MAX = 108;

/** A path connect(2) accepts for a Unix socket; disposing it removes any link made for it. */
export interface ShortSocketPath extends Disposable {
  /** `socketPath` itself when short enough, otherwise a short symlink to it. */
  readonly path: string;
}

const LINK_NAME = 's';

/**
 * Returns a path to connect to `socketPath` by. A path over the `sockaddr_un` limit (a jailed
 * Firecracker's `<chroot-base>/<exec>/<id>/root/run/firecracker.socket` often is) gets a short
 * symlink in a private temporary folder: connect(2) follows symlinks, and the limit is only on the
 * string it is given. The link is resolved at each connect, so it may be made before the socket
 * (or its jail) exists. Disposing removes the folder; a second dispose does nothing.
 */
export const createShortSocketPath = (socketPath: string): ShortSocketPath => {
  if (Buffer.byteLength(socketPath) < SUN_PATH_MAX) {
    return {
      path: socketPath,
      [Symbol.dispose]() {
        // Nothing was made for a path that is short enough.
      },
    };
  }
  let folder: string;
  try {
    folder = mkdtempSync(path.join(os.tmpdir(), 'kindling-sock-'));
  } catch (error) {
    throw new ProcessError(
      'ERR_SOCKET_LINK',
      `Could not make a folder for a short link to the API socket ${socketPath} (${Buffer.byteLength(socketPath)} bytes, over the ${SUN_PATH_MAX - 1} a Unix socket address holds): is ${os.tmpdir()} writable?`,
      { cause: error },
    );
  }
  const link = path.join(folder, LINK_NAME);
  try {
    if (Buffer.byteLength(link) >= SUN_PATH_MAX) {
      throw new ProcessError(
        'ERR_SOCKET_LINK',
        `The API socket ${socketPath} is over the ${SUN_PATH_MAX - 1} bytes a Unix socket address holds, and so is a link to it in ${os.tmpdir()}: set TMPDIR to a shorter folder`,
      );
    }
    // Relative to the link's folder otherwise, not to the current directory.
    symlinkSync(path.resolve(socketPath), link);
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    if (error instanceof ProcessError) {
      throw error;
    }
    throw new ProcessError(
      'ERR_SOCKET_LINK',
      `Could not link ${link} to the API socket ${socketPath}: is ${os.tmpdir()} writable?`,
      { cause: error },
    );
  }
  let removed = false;
  return {
    path: link,
    [Symbol.dispose]: () => {
      if (removed) {
        return;
      }
      removed = true;
      try {
        rmSync(folder, { recursive: true, force: true });
      } catch (error) {
        throw new ProcessError(
          'ERR_SOCKET_LINK',
          `Could not remove ${folder}, the short link to the API socket ${socketPath}: remove it by hand`,
          { cause: error },
        );
      }
    },
  };
};
