// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { stat } from 'node:fs/promises';
import os from 'node:os';
import type { VmSnapshot } from '@kindling/vm';
import { PoolError } from './errors.js';

const MIB = 1024 * 1024;

const mib = (bytes: number): string => `${(bytes / MIB).toFixed(0)} MiB`;

/**
 * The guest memory a VM of `snapshot` can take: the memory file's size (its apparent size, holes
 * included: a restored guest may touch every page). Fails with `ERR_INVALID_INPUT` when the file
 * cannot be read, before the pool starts anything.
 */
export const readSnapshotMemoryBytes = async (snapshot: VmSnapshot): Promise<number> => {
  try {
    return (await stat(snapshot.memPath)).size;
  } catch (error) {
    throw new PoolError(
      'ERR_INVALID_INPUT',
      `options.snapshot.memPath: cannot read the memory file (${(error as Error).message}), got ${JSON.stringify(snapshot.memPath)}: copy the snapshot somewhere it stays`,
      { cause: error },
    );
  }
};

/**
 * Refuses a restore (`ERR_POOL_MEMORY_LOW`) unless the host's available memory (MemAvailable, as
 * `os.freemem()` reads it) is at least the snapshot's memory plus the margin: a host that pages
 * or kills under memory pressure is worse than a pool that waits.
 */
export const checkFreeMemory = (
  memoryBytes: number,
  marginBytes: number,
  freeBytes: number = os.freemem(),
): void => {
  if (freeBytes < memoryBytes + marginBytes) {
    throw new PoolError(
      'ERR_POOL_MEMORY_LOW',
      `not restoring: the host has ${mib(freeBytes)} available, and a VM needs the snapshot’s ${mib(memoryBytes)} plus the margin of ${mib(marginBytes)}; the pool retries with back-off (free memory, or lower memoryMarginBytes)`,
    );
  }
};
