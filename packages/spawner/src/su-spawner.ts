// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomUUID } from 'node:crypto';
import {
  checkElevatedRequest,
  resolveElevationOptions,
  type ElevationOptions,
  type ResolvedElevationOptions,
} from './elevation-options.js';
import { buildElevationArgv, ELEVATION_SHELL } from './elevation-script.js';
import type { ProcessSpawner, SpawnOptions, SpawnedProcess } from './process-spawner.js';
import { joinShellWords } from './shell-quote.js';
import { resolveSpawnRequest } from './spawn-options.js';
import { startElevated } from './start-elevated.js';

/** What a `SuSpawner` is built with. */
export interface SuSpawnerOptions extends ElevationOptions {
  /** The su binary (default `su`, looked up on PATH). */
  readonly suPath?: string;
}

/**
 * Spawns processes through `su -s /bin/sh -c <command> <user>`. `su -c` takes one shell string, so
 * every word is single-quoted (spaces, quotes, `$`, backticks and newlines stay literal) and the
 * shell is pinned to `/bin/sh`. A password is answered only when su's PAM prompt appears.
 */
export class SuSpawner implements ProcessSpawner {
  readonly #elevation: ResolvedElevationOptions;

  constructor(options: SuSpawnerOptions = {}) {
    this.#elevation = resolveElevationOptions(options, 'suPath', 'su');
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
    // `exec` keeps one process between su and the command, so su relays signals straight to it.
    const command = `exec ${joinShellWords(buildElevationArgv(request, marker))}`;
    const started = await startElevated(
      {
        tool: 'su',
        args: ['-s', ELEVATION_SHELL, '-c', command, elevation.user],
        marker,
        promptToken: undefined,
      },
      elevation,
      request,
    );
    return started;
  }
}
