// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessSpawner } from '@kindling/spawner';
import { describeExit, runTool } from '../ownership/run-tool.js';

/** How long `mkfifo` may take, and what cancels it. */
export interface CreateFifoOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Makes a named pipe with `mkfifo(1)` through `spawner` (Node has no mkfifo), readable and
 * writable by its owner only: the owner is then handed to the VMM's user as the model says.
 * Rejects with an `Error` carrying mkfifo's own message (e.g. `File exists`).
 */
export const createFifo = async (
  target: string,
  spawner: ProcessSpawner,
  options: CreateFifoOptions,
): Promise<void> => {
  const outcome = await runTool(spawner, 'mkfifo', ['-m', '600', '--', target], options);
  if (outcome.timedOut) {
    throw new Error(`mkfifo did not finish within ${options.timeoutMs} ms`);
  }
  if (outcome.exit.code !== 0) {
    throw new Error(
      `mkfifo ${describeExit(outcome.exit)}${outcome.stderr === '' ? '' : `: ${outcome.stderr}`}`,
    );
  }
};
