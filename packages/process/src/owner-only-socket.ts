// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod, lstat } from 'node:fs/promises';

/**
 * Makes an API socket Firecracker just bound owner-only (0600). Firecracker binds it under the
 * umask it inherited, so under a permissive umask (000) any local user could drive the VM; a
 * socket's folder is the first fence, this is the second. Only a socket is changed (never what a
 * link points at), and a socket owned by another user (a jailed VM's, seen by a non-root owner) is
 * left as its owner made it: its jail folder is 0700 already.
 */
export const restrictSocketToOwner = async (socketPath: string): Promise<void> => {
  try {
    const stats = await lstat(socketPath);
    if (stats.isSocket() && (stats.mode & 0o077) !== 0) {
      await chmod(socketPath, 0o600);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOENT') {
      throw error;
    }
  }
};
