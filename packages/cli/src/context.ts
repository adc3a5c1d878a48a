// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { ApiClient } from '@kindling/process';
import type { VmRecord } from './host/vm-records.js';
import { resolveStatePaths, type StatePaths } from './host/state-paths.js';
import { Output, type CliIo } from './output.js';

/** What every command runs with. */
export interface CliContext {
  readonly io: CliIo;
  readonly paths: StatePaths;
  /** The script that runs `kindling` (the background process of --detach runs it again). */
  readonly entry: string;
  /** An output for the command's --json choice. */
  output(json: boolean | undefined): Output;
}

/** The context of one invocation. */
export const createContext = (io: CliIo, entry: string): CliContext => ({
  io,
  entry,
  paths: resolveStatePaths(io.env),
  output: (json) => new Output(io, json === true),
});

/** How long a request to a recorded VM's API may take. */
export const API_TIMEOUT_MS = 10_000;

/** A client of a recorded VM's API socket; dispose of it when done. */
export const connectApi = (record: VmRecord): ApiClient =>
  new ApiClient({ socketPath: record.socketPath, timeoutMs: API_TIMEOUT_MS });
