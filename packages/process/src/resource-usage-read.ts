// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ResourceUsage, VmmExecutor, VmmExecutorContext } from '@kindling/executor';
import { isKindlingError } from '@kindling/spawner';
import { raceSignal, runWithDeadline } from '@kindling/helpers';
import { ProcessError } from './errors.js';
import { resolveSignal, resolveTimeoutMs } from './option-checks.js';

/** What `VmmProcess.readResourceUsage()` takes. */
export interface ResourceUsageReadOptions {
  readonly signal?: AbortSignal;
  /** Default 5 000 ms. */
  readonly timeoutMs?: number;
}

const DEFAULT_USAGE_READ_MS = 5000;

/**
 * Asks the executor what the VMM's cgroups say, within a timeout: `undefined` when the executor
 * cannot tell (no `readResourceUsage`, or no cgroup made). The executor's own errors pass
 * through; a timeout or another failure is `ERR_EXECUTOR`, an abort the signal's reason.
 */
export const readResourceUsageOf = async (
  executor: VmmExecutor,
  context: VmmExecutorContext,
  options: ResourceUsageReadOptions,
): Promise<ResourceUsage | undefined> => {
  const signal = resolveSignal('options.signal', options.signal);
  const timeoutMs = resolveTimeoutMs('options.timeoutMs', options.timeoutMs, DEFAULT_USAGE_READ_MS);
  if (executor.readResourceUsage === undefined) {
    signal?.throwIfAborted();
    return undefined;
  }
  const read = executor.readResourceUsage.bind(executor);
  try {
    return await runWithDeadline(
      { timeoutMs, signal },
      // A file read cannot be interrupted: the wait for it can.
      (deadline) => raceSignal(read(context, { signal: deadline }), deadline),
      (cause) =>
        new ProcessError(
          'ERR_EXECUTOR',
          `readResourceUsage(): the VM's cgroups were not read within ${timeoutMs} ms: allow more time, or check the cgroup file system`,
          { cause },
        ),
    );
  } catch (error) {
    if (isKindlingError(error) || signal?.aborted === true) {
      throw error;
    }
    throw new ProcessError(
      'ERR_EXECUTOR',
      `readResourceUsage() failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
};
