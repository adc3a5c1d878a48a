// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VmmAction } from './vmm-action.js';

/**
 * The name Firecracker gives an action whose duration it logs (`'pause vm' VMM action took N
 * us.`, `'pause vm' API request took N us.`), or undefined for the actions it does not time.
 */
export const timedActionName = (action: VmmAction): string | undefined => {
  switch (action.type) {
    case 'PatchVmState':
      return action.state === 'Paused' ? 'pause vm' : 'resume vm';
    case 'CreateSnapshot':
      return action.body.snapshot_type === 'Diff' ? 'create diff snapshot' : 'create full snapshot';
    case 'LoadSnapshot':
      return 'load snapshot';
    default:
      return undefined;
  }
};
