// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { ExecutorError } from './errors.js';

/**
 * Maps the host path a moved resource starts at (its initial path) to the absolute path
 * Firecracker sees for it inside the jail (its virtual path).
 */
export type VirtualPathResolver = (initialPath: string) => string;

/**
 * The default `VirtualPathResolver`: every moved resource lands in the jail's root under its file
 * name, so `/images/vm-1/rootfs.ext4` becomes `/rootfs.ext4`.
 */
export const resolveFlatVirtualPath: VirtualPathResolver = (initialPath) => {
  const name = path.posix.basename(initialPath);
  if (name === '' || name === '.' || name === '..') {
    throw new ExecutorError(
      'ERR_VIRTUAL_PATH',
      `Resource path ${JSON.stringify(initialPath)} has no file name to place in the jail: give the resource a file path`,
    );
  }
  return `/${name}`;
};

/**
 * Joins a virtual path onto the jail's root on the host, refusing one that is not absolute or
 * that would leave the jail.
 */
export const resolveInJail = (jailRoot: string, virtualPath: string): string => {
  const normalized = path.posix.normalize(virtualPath);
  if (!path.posix.isAbsolute(virtualPath) || normalized === '/' || virtualPath.includes('\0')) {
    throw new ExecutorError(
      'ERR_VIRTUAL_PATH',
      `Virtual path ${JSON.stringify(virtualPath)} must be an absolute file path inside the jail, such as "/rootfs.ext4"`,
    );
  }
  // normalize() has already folded every "..", and "/.." is "/": the result cannot leave the root.
  return path.join(jailRoot, normalized);
};
