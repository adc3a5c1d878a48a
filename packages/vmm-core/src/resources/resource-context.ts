// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessSpawner } from '@kindling/spawner';
import type { OwnershipModel } from '../ownership/ownership-model.js';
import { processFolderLedger, type FolderLedger } from './folder-ledger.js';
import { processInodeLedger, type InodeLedger } from './inode-ledger.js';

/** What initialising and disposing a resource run with: the system's settings and one call's signal. */
export interface ResourceContext {
  readonly ownership: OwnershipModel;
  /** Runs `mkfifo` as the control process. */
  readonly spawner: ProcessSpawner;
  /** Runs `chown -R` for the `upgraded-*` models; absent otherwise. */
  readonly elevatedSpawner: ProcessSpawner | undefined;
  readonly toolTimeoutMs: number;
  readonly signal: AbortSignal | undefined;
  /** The resource system at work: folders are handed over for the system that made them. */
  readonly maker: object;
  /** The folders Kindling made, shared by the systems of this process. */
  readonly folders: FolderLedger;
  /** The inodes Kindling hard-linked, shared by the systems of this process. */
  readonly inodes: InodeLedger;
}

/** What a resource system contributes to every context it makes. */
export type ResourceSettings = Omit<ResourceContext, 'signal' | 'folders' | 'inodes'>;

/** A context for one call, over the folder and inode ledgers this process shares. */
export const createResourceContext = (
  settings: ResourceSettings,
  signal: AbortSignal | undefined,
): ResourceContext => ({
  ...settings,
  signal,
  folders: processFolderLedger,
  inodes: processInodeLedger,
});
