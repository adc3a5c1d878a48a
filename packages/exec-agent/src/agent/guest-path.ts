// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { ProtocolError } from '../protocol/protocol-error.js';

/** How the last component of a guest path is treated. */
export type FinalComponent = 'follow' | 'keep';

/** Whether `candidate` is `root` or inside it (both absolute and normalised). */
export const isInside = (root: string, candidate: string): boolean =>
  candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : `${root}${path.sep}`);

const escape = (guestPath: string, why: string): ProtocolError =>
  new ProtocolError(
    'ERR_EXEC_PATH_ESCAPE',
    `The path ${JSON.stringify(guestPath)} ${why}, outside the agent's root: use a path inside it`,
  );

// The real path of the longest existing prefix of `target`, with the missing rest appended (a
// missing component can hold no symlink).
const realpathOfExisting = async (target: string): Promise<string> => {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      return path.join(await realpath(current), ...missing.toReversed());
    } catch (error) {
      const parent = path.dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) {
        throw error;
      }
      missing.push(path.basename(current));
      current = parent;
    }
  }
};

/**
 * The host path of a guest path under `root` (itself a real path). `..` may not climb above the
 * root, and no symlink on the way may lead outside it; with `keep`, a final symlink is the
 * answer itself (to remove, replace or describe it), not followed.
 */
export const resolveGuestPath = async (
  root: string,
  guestPath: string,
  final: FinalComponent,
): Promise<string> => {
  // `..` that stays below the root is fine; one that climbs above it is an escape.
  const climbs = guestPath
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .reduce((depth, part) => (depth < 0 ? depth : depth + (part === '..' ? -1 : 1)), 0);
  if (climbs < 0) {
    throw escape(guestPath, 'climbs with ..');
  }
  const lexical = path.join(root, path.posix.normalize(`/${guestPath}`).slice(1));
  if (lexical === root) {
    return root;
  }
  const parent = await realpathOfExisting(path.dirname(lexical));
  if (!isInside(root, parent)) {
    throw escape(guestPath, 'leads through a symlink');
  }
  const joined = path.join(parent, path.basename(lexical));
  if (final === 'keep') {
    return joined;
  }
  const resolved = await realpathOfExisting(joined);
  if (!isInside(root, resolved)) {
    throw escape(guestPath, 'is a symlink that leads');
  }
  return resolved;
};
