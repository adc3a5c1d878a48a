// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessSpawner } from '@kindling/spawner';
import type { OwnershipModel } from '../ownership/ownership-model.js';

/** What initialising and disposing a resource run with: the system's settings and one call's signal. */
export interface ResourceContext {
  readonly ownership: OwnershipModel;
  /** Runs `mkfifo` as the control process. */
  readonly spawner: ProcessSpawner;
  /** Runs `chown -R` for the `upgraded-*` models; absent otherwise. */
  readonly elevatedSpawner: ProcessSpawner | undefined;
  readonly toolTimeoutMs: number;
  readonly signal: AbortSignal | undefined;
}
