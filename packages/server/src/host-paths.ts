// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { ServerError } from './errors.js';

/** The folders a caller may name host paths in: images (read) and state (read and write). */
export interface AllowedFolders {
  readonly imagesDir: string;
  readonly stateDir: string;
}

const isInside = (folder: string, candidate: string): boolean => {
  const relative = path.relative(folder, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

// The real path of what exists of `candidate`: its deepest existing ancestor resolved, the rest
// appended, so that a symbolic link inside an allowed folder cannot lead out of it.
const resolveExisting = async (candidate: string): Promise<string> => {
  let existing = candidate;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(existing), ...rest.toReversed());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) {
        return candidate;
      }
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
};

/**
 * Resolves a host path a caller gave: a relative one under `base`; the result, symbolic links
 * followed, must lie in the images or the state folder, or `ERR_INVALID_INPUT` names the field
 * and the folders allowed.
 */
export const resolveAllowedPath = async (
  folders: AllowedFolders,
  field: string,
  given: string,
  base: string,
): Promise<string> => {
  const resolved = path.resolve(base, given);
  const real = await resolveExisting(resolved);
  const roots = await Promise.all([folders.imagesDir, folders.stateDir].map(resolveExisting));
  if (!roots.some((root) => isInside(root, real) && !given.includes('\0'))) {
    throw new ServerError(
      'ERR_INVALID_INPUT',
      `${field}: ${JSON.stringify(given)} is outside the folders this server may use; give a path in ${folders.imagesDir} or ${folders.stateDir}`,
      { field },
    );
  }
  return resolved;
};
