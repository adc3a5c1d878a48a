// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { raceSignal, runWithDeadline } from '@kindling/helpers';
import { ExecutorError } from './errors.js';
import { optionsObject, parseOptions, timeoutMsSchema } from './parse-options.js';
import type { ProcessHandleExit } from './process-handle.js';

/** How long `ProcessHandle.wait` waits when no `timeoutMs` is given. */
export const DEFAULT_WAIT_TIMEOUT_MS = 30_000;

const waitOptionsSchema = optionsObject({
  /** Aborting rejects the wait with the signal's reason; the process is left alone. */
  signal: z.instanceof(AbortSignal, { error: 'expected an AbortSignal' }).optional(),
  /** How long to wait before rejecting with `ERR_WAIT_TIMEOUT` (default 30 000). */
  timeoutMs: timeoutMsSchema.default(DEFAULT_WAIT_TIMEOUT_MS),
});

/**
 * What `ProcessHandle.wait` takes.
 *
 * @interface
 */
export type ProcessWaitOptions = z.input<typeof waitOptionsSchema>;

/**
 * Waits for `exited` with the options of `ProcessHandle.wait`: a timeout rejects with
 * `ERR_WAIT_TIMEOUT`, an abort with the signal's reason; every listener is removed either way.
 */
export const waitForExit = (
  pid: number,
  exited: Promise<ProcessHandleExit>,
  options: ProcessWaitOptions,
): Promise<ProcessHandleExit> => {
  const deadline = parseOptions(waitOptionsSchema, options, 'wait');
  return runWithDeadline(
    deadline,
    (signal) => raceSignal(exited, signal),
    (cause) =>
      new ExecutorError(
        'ERR_WAIT_TIMEOUT',
        `Process ${pid} was still running after ${deadline.timeoutMs} ms: kill it, or wait with a longer timeoutMs`,
        { cause },
      ),
  );
};
