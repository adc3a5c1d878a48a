// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessExit, SpawnedProcess } from './process-spawner.js';

const DEFAULT_GRACE_MS = 2_000;

/**
 * Stops a process that must not outlive a failed start: SIGTERM first (sudo and su relay it to
 * their child), SIGKILL once `graceMs` has passed, and resolves when it has exited.
 */
export const terminateProcess = async (
  process: SpawnedProcess,
  graceMs = DEFAULT_GRACE_MS,
): Promise<ProcessExit> => {
  process.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'grace-over'>((resolve) => {
    timer = setTimeout(resolve, graceMs, 'grace-over');
  });
  try {
    const first = await Promise.race([process.exited, graceOver]);
    if (first !== 'grace-over') {
      return first;
    }
    process.kill('SIGKILL');
    return await process.exited;
  } finally {
    clearTimeout(timer);
  }
};
