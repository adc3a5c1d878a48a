// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { kindlingTempFolder } from '@kindling/helpers';

/** Where the command keeps what it knows of the VMs it started on this host. */
export interface StatePaths {
  /** The state folder (`KINDLING_STATE_DIR`, default `<tmpdir>/kindling-<uid>`). */
  readonly root: string;
  /** The `VmmProcess` records `reconcile()` reads (`<root>/processes`, the SDK's default). */
  readonly processes: string;
  /** One folder per VM the command started: its record, serial log and metrics file. */
  readonly vms: string;
}

/** The state paths for an environment; the SDK's own default unless `KINDLING_STATE_DIR` says. */
export const resolveStatePaths = (env: NodeJS.ProcessEnv): StatePaths => {
  const given = env['KINDLING_STATE_DIR'];
  const root = given === undefined || given === '' ? kindlingTempFolder() : path.resolve(given);
  return { root, processes: path.join(root, 'processes'), vms: path.join(root, 'vms') };
};
