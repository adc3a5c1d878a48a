// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Vm } from '@kindling/vm';
import type { VmPoolSlot } from './pool-options.js';

/** One place in the pool: its slot (when the pool prepares slots) and its current VM. */
export interface PoolEntry {
  readonly slotIndex: number;
  slot: VmPoolSlot | undefined;
  vm: Vm | undefined;
  /** Stops watching the ready VM's end (set while the VM waits in the pool). */
  unwatch: (() => void) | undefined;
}

/**
 * Destroys the entry's VM (shut down with its `shutdownActions`, then cleaned up) and, unless
 * `keepSlot`, its slot, in that order: a namespace outlives the Firecracker inside it. Both are
 * tried; a failure of either is thrown, both as an `AggregateError`.
 */
export const destroyEntry = async (entry: PoolEntry, keepSlot: boolean): Promise<void> => {
  entry.unwatch?.();
  entry.unwatch = undefined;
  const failures: unknown[] = [];
  const { vm, slot } = entry;
  entry.vm = undefined;
  try {
    await vm?.[Symbol.asyncDispose]();
  } catch (error) {
    failures.push(error);
  }
  if (!keepSlot) {
    entry.slot = undefined;
    try {
      await slot?.[Symbol.asyncDispose]();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1) {
    throw failures[0];
  }
  if (failures.length > 1) {
    throw new AggregateError(
      failures,
      `Pool slot ${entry.slotIndex}: neither its VM nor its slot could be destroyed`,
    );
  }
};
