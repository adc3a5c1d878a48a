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
