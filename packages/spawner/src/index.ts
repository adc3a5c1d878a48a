// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

export { KindlingError, isKindlingError } from './kindling-error.js';
export type {
  ProcessExit,
  ProcessSpawner,
  SpawnOptions,
  SpawnedProcess,
  StdioMode,
  StdioOptions,
} from './process-spawner.js';
/** The error every spawner throws, with a stable `code` from `SpawnErrorCode`. */
export { SpawnError, type SpawnErrorCode } from './spawn-error.js';
/** A `ProcessSpawner` that runs processes as the current user, without elevation or a shell. */
export { DirectSpawner } from './direct-spawner.js';
/** A `ProcessSpawner` that runs processes through sudo, with an argument array. */
export { SudoSpawner, type SudoSpawnerOptions } from './sudo-spawner.js';
/** A `ProcessSpawner` that runs processes through `su -c`, with every word quoted. */
export { SuSpawner, type SuSpawnerOptions } from './su-spawner.js';
/** The options `SudoSpawner` and `SuSpawner` share: password, user and start timeout. */
export type { ElevationOptions } from './elevation-options.js';
/** Quotes one word, or joins words, for a POSIX shell; the shell reads back exactly the words. */
export { joinShellWords, quoteShellWord } from './shell-quote.js';
