// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Makes a warm pool of VMs restored from one snapshot. */
export { createVmPool } from './create-vm-pool.js';
/** The pool: `acquire()`, `release()`, `waitUntilFull()`, `drain()`, `stats`, events. */
export type { VmPool, VmPoolState, VmPoolStats } from './vm-pool.js';
/** What `createVmPool` takes: the snapshot, the size, restore options, slots, bounds. */
export type {
  PoolRestoreContext,
  PoolRestoreOptions,
  PrepareSlotContext,
  ResolvedVmPoolOptions,
  VmPoolOptions,
  VmPoolSlot,
} from './pool-options.js';
/** What `acquire()`, `waitUntilFull()` and `release()` take. */
export type { PoolReleaseOptions, PoolWaitOptions } from './pool-calls.js';
/** The events a pool fires. */
export type {
  PoolReadyEvent,
  PoolRefillErrorEvent,
  PoolVmLostEvent,
  VmPoolEventListener,
  VmPoolEventMap,
  VmPoolEventType,
} from './pool-events.js';
/** The error every `@kindling/ext-pool` call throws, with a stable `code` from `PoolErrorCode`. */
export { PoolError, type PoolErrorCode } from './errors.js';
