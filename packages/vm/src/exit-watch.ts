// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessHandleExit } from '@kindling/executor';
import type { VmmProcess } from '@kindling/process';
import { isKindlingError } from '@kindling/spawner';

/** How a watched process ended, with the error when its exit could not be observed. */
export interface WatchedExit {
  readonly exit: ProcessHandleExit;
  readonly error?: unknown;
}

/**
 * Resolves when the process ends, however long that takes, or with `undefined` once `signal`
 * aborts. An exit that cannot be observed resolves as `unknown` with its error, never as a clean
 * one.
 */
export const watchProcessExit = async (
  vmmProcess: VmmProcess,
  signal: AbortSignal,
): Promise<WatchedExit | undefined> => {
  for (;;) {
    try {
      return {
        exit: await vmmProcess.waitForExit({ timeoutMs: Number.POSITIVE_INFINITY, signal }),
      };
    } catch (error) {
      if (signal.aborted) {
        return undefined;
      }
      // "No timeout" is the longest timer Node allows (24.8 days): wait again after it.
      if (isKindlingError(error) && error.code === 'ERR_EXIT_WAIT_TIMEOUT') {
        continue;
      }
      return { exit: vmmProcess.exit ?? { kind: 'unknown' }, error };
    }
  }
};
