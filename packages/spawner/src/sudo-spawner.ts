// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomUUID } from 'node:crypto';
import {
  checkElevatedRequest,
  resolveElevationOptions,
  type ElevationOptions,
  type ResolvedElevationOptions,
} from './elevation-options.js';
import { buildElevationArgv } from './elevation-script.js';
import type { ProcessSpawner, SpawnOptions, SpawnedProcess } from './process-spawner.js';
import { resolveSpawnRequest } from './spawn-options.js';
import { startElevated } from './start-elevated.js';

/** What a `SudoSpawner` is built with. */
export interface SudoSpawnerOptions extends ElevationOptions {
  /** The sudo binary (default `sudo`, looked up on PATH). */
  readonly sudoPath?: string;
}

/**
 * Spawns processes through `sudo` with an argument array (no `sudo -s`, no shell string). With a
 * password, sudo runs with `-S` and a unique prompt, and the password is answered only when that
 * prompt appears; without one, sudo runs with `-n`, so a sudo that wants a password fails at once.
 */
export class SudoSpawner implements ProcessSpawner {
  readonly #elevation: ResolvedElevationOptions;

  constructor(options: SudoSpawnerOptions = {}) {
    this.#elevation = resolveElevationOptions(options, 'sudoPath', 'sudo');
  }

  async spawn(
    binary: string,
    args: readonly string[],
    options?: SpawnOptions,
  ): Promise<SpawnedProcess> {
    const request = resolveSpawnRequest(binary, args, options);
    const elevation = this.#elevation;
    checkElevatedRequest(request, elevation.password !== undefined);
    request.signal?.throwIfAborted();
    const marker = `kindling-${randomUUID()}`;
    // sudo expands `%` escapes in a prompt; the marker has none.
    const promptToken = `${marker}:password:`;
    const authentication = elevation.password === undefined ? ['-n'] : ['-S', '-p', promptToken];
    const started = await startElevated(
      {
        tool: 'sudo',
        args: [
          ...authentication,
          '-u',
          elevation.user,
          '--',
          ...buildElevationArgv(request, marker),
        ],
        marker,
        promptToken,
      },
      elevation,
      request,
    );
    return started;
  }
}
