// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { StdioMode } from './process-spawner.js';

/** How to start one process: already validated, with every stream's mode settled. */
export interface LaunchOptions {
  readonly stdin: StdioMode;
  readonly stdout: StdioMode;
  readonly stderr: StdioMode;
  readonly env?: Readonly<Record<string, string>>;
  readonly extendEnv?: boolean;
  readonly cwd?: string | undefined;
}
