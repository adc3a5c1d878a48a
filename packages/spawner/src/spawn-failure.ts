// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { SpawnError } from './spawn-error.js';

const errorCodeOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;

const hintFor = (code: unknown, cwd: string | undefined): string => {
  switch (code) {
    case 'ENOENT': {
      return cwd === undefined
        ? 'is it installed, and given as a path or found on PATH?'
        : `is it installed, and given as a path or found on PATH, and does ${cwd} exist?`;
    }
    case 'EACCES':
    case 'EPERM': {
      return 'is it executable by this user?';
    }
    case 'ENOTDIR': {
      return 'is every parent of its path (and of cwd) a directory?';
    }
    default: {
      return 'see the cause';
    }
  }
};

/** Creates the `ERR_SPAWN_FAILED` error for a process that could not be started. */
export const createSpawnFailedError = (
  binary: string,
  cause: unknown,
  cwd: string | undefined,
): SpawnError => {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new SpawnError(
    'ERR_SPAWN_FAILED',
    `Could not spawn ${binary} (${reason}): ${hintFor(errorCodeOf(cause), cwd)}`,
    { cause },
  );
};
