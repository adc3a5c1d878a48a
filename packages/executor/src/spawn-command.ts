// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessSpawner, SpawnedProcess, StdioMode, StdioOptions } from '@kindling/spawner';
import { applyCommandModifiers, type Command, type CommandModifier } from '@kindling/vmm-core';
import { ExecutorError } from './errors.js';
import { getErrorMessage } from './step-failure.js';

/** What `spawnCommand` runs, and how. */
export interface SpawnCommandRequest {
  readonly spawner: ProcessSpawner;
  readonly command: Command;
  readonly commandModifiers: readonly CommandModifier[];
  readonly stdio: StdioMode | StdioOptions;
  readonly signal: AbortSignal | undefined;
}

/**
 * Applies the command modifiers and spawns the result. The signal only guards the start: it is
 * not handed to the spawner, which would kill the VMM whenever it aborts later on.
 */
export const spawnCommand = async (request: SpawnCommandRequest): Promise<SpawnedProcess> => {
  request.signal?.throwIfAborted();
  const { binary, args } = applyCommandModifiers(request.command, request.commandModifiers);
  let child: SpawnedProcess;
  try {
    child = await request.spawner.spawn(binary, args, { stdio: request.stdio });
  } catch (error) {
    throw new ExecutorError(
      'ERR_SPAWN_FAILED',
      `Could not start ${binary}: ${getErrorMessage(error)}`,
      {
        cause: error,
      },
    );
  }
  if (request.signal?.aborted === true) {
    child.kill('SIGKILL');
    await child.exited;
    request.signal.throwIfAborted();
  }
  return child;
};
