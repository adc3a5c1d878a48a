// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { killOnAbort } from './kill-on-abort.js';
import { launchProcess } from './launch-process.js';
import type { ProcessSpawner, SpawnOptions, SpawnedProcess } from './process-spawner.js';
import { resolveSpawnRequest } from './spawn-options.js';

/** Spawns processes as the current user, with no elevation and no shell. */
export class DirectSpawner implements ProcessSpawner {
  async spawn(
    binary: string,
    args: readonly string[],
    options?: SpawnOptions,
  ): Promise<SpawnedProcess> {
    const request = resolveSpawnRequest(binary, args, options);
    request.signal?.throwIfAborted();
    const process = await launchProcess(request.binary, request.args, {
      ...request,
      env: request.env,
    });
    killOnAbort(process, request.signal, 'SIGKILL');
    return process;
  }
}
