// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readSnapshotMemoryBytes } from './memory-check.js';
import { resolvePoolOptions, type VmPoolOptions, type VmPoolSlot } from './pool-options.js';
import { VmPool } from './vm-pool.js';

/**
 * Makes a warm pool of VMs restored from `options.snapshot` and starts filling it in the
 * background; `await pool.waitUntilFull()` to wait for the first `size`. Validates the options
 * (`ERR_INVALID_INPUT`) and reads the snapshot's memory size before anything starts.
 */
export const createVmPool = async <Slot extends VmPoolSlot = VmPoolSlot>(
  options: VmPoolOptions<Slot>,
): Promise<VmPool<Slot>> => {
  const resolved = resolvePoolOptions(options);
  return new VmPool<Slot>(resolved, await readSnapshotMemoryBytes(resolved.snapshot));
};
