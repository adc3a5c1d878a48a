// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { raceSignal, resolveTimeoutMs, runWithDeadline } from './deadline.js';
import { ExecutorError } from './errors.js';
import type { ProcessHandleExit, ProcessWaitOptions } from './process-handle.js';

/** How long `ProcessHandle.wait` waits when no `timeoutMs` is given. */
export const DEFAULT_WAIT_TIMEOUT_MS = 30_000;

/**
 * Waits for `exited` with the options of `ProcessHandle.wait`: a timeout rejects with
 * `ERR_WAIT_TIMEOUT`, an abort with the signal's reason; every listener is removed either way.
 */
export const waitForExit = (
  pid: number,
  exited: Promise<ProcessHandleExit>,
  options: ProcessWaitOptions,
): Promise<ProcessHandleExit> => {
  const timeoutMs = resolveTimeoutMs('wait.timeoutMs', options.timeoutMs, DEFAULT_WAIT_TIMEOUT_MS);
  return runWithDeadline(
    { timeoutMs, signal: options.signal },
    (signal) => raceSignal(exited, signal),
    (cause) =>
      new ExecutorError(
        'ERR_WAIT_TIMEOUT',
        `Process ${pid} was still running after ${timeoutMs} ms: kill it, or wait with a longer timeoutMs`,
        { cause },
      ),
  );
};
