// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import os from 'node:os';
import { createInputParser, MAX_TIMER_MS } from '@kindling/helpers';
import { VmSnapshot, type VmRestoreOptions } from '@kindling/vm';
import { z } from 'zod';
import { PoolError } from './errors.js';

/** Throws `PoolError` `ERR_INVALID_INPUT`: `subject.path: rule, got value`, one line each. */
export const parseInput = createInputParser(
  (message, options) => new PoolError('ERR_INVALID_INPUT', message, options),
);

/** What a pool tells the code that makes one VM's restore options. */
export interface PoolRestoreContext {
  /** This restore's number in the pool, from 1: unique, e.g. for a socket or log path. */
  readonly sequence: number;
  /** The slot's number in the pool, from 1 (a reset slot keeps it). */
  readonly slotIndex: number;
  /** Aborted when the restore times out or the pool drains. */
  readonly signal: AbortSignal;
}

/** Restore options, as they are or made per VM (each VM needs its own vsock socket, for example). */
export type PoolRestoreOptions =
  | VmRestoreOptions
  | ((context: PoolRestoreContext) => VmRestoreOptions | Promise<VmRestoreOptions>);

/**
 * A VM's place in the pool and what it owns besides the VM: a network namespace, a folder. The
 * pool restores into it, destroys it with `[Symbol.asyncDispose]` when its VM goes, and keeps it
 * for a fresh VM on `release(vm, { reset: true })`.
 */
export interface VmPoolSlot extends AsyncDisposable {
  /** The options of each restore into this slot, over the pool's `restoreOptions`. */
  readonly restoreOptions?: PoolRestoreOptions;
}

/** What `prepareSlot` is given. */
export interface PrepareSlotContext {
  /** The slot's number in the pool, from 1. */
  readonly slotIndex: number;
  /** Aborted when the preparation times out or the pool drains. */
  readonly signal: AbortSignal;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

const restoreOptions = z.custom<PoolRestoreOptions>(
  (value) => typeof value === 'function' || isPlainObject(value),
  { error: 'expected restore options (an object) or a function that makes them' },
);

const timeoutMs = z.number().int().min(1).max(MAX_TIMER_MS);

const schema = z.strictObject({
  /** The snapshot every VM is restored from (`vm.createSnapshot()`, then `copy()` it out). */
  snapshot: z.custom<VmSnapshot>((value) => value instanceof VmSnapshot, {
    error: 'expected a VmSnapshot (from vm.createSnapshot() or new VmSnapshot())',
  }),
  /** How many VMs to keep ready (paused) or being restored; acquired VMs do not count. */
  size: z.number().int().min(1).max(10_000),
  /** The options of every `Vm.restore` (`resume` is always false: a ready VM waits paused). */
  restoreOptions: restoreOptions.optional(),
  /** Makes a slot for a VM (a network namespace, say); the slot's own restore options win. */
  prepareSlot: z
    .custom<(context: PrepareSlotContext) => Promise<VmPoolSlot>>(
      (value) => typeof value === 'function',
      { error: 'expected a function ({ slotIndex, signal }) => Promise<VmPoolSlot>' },
    )
    .optional(),
  /** Restores in flight at once (default: the host's CPU count, `os.availableParallelism()`). */
  maxConcurrentRestores: z
    .number()
    .int()
    .min(1)
    .max(1_024)
    .default(() => os.availableParallelism()),
  /** Free memory a restore leaves the host, beyond the snapshot's memory (default 256 MiB). */
  memoryMarginBytes: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(256 * 1024 * 1024),
  /** Bound of one refill: the slot, the restore and the snapshot load (default 60 000 ms). */
  restoreTimeoutMs: timeoutMs.default(60_000),
  /** The first wait after a failed refill (default 100 ms); doubled per failure in a row. */
  retryInitialMs: timeoutMs.default(100),
  /** The longest wait between failed refills (default 10 000 ms). */
  retryMaxMs: timeoutMs.default(10_000),
});

/**
 * What `createVmPool` takes. `Slot` is what `prepareSlot` makes: `pool.slotOf(vm)` gives it back
 * with its own fields (the VM's network, say).
 *
 * @interface
 */
export type VmPoolOptions<Slot extends VmPoolSlot = VmPoolSlot> = Omit<
  z.input<typeof schema>,
  'prepareSlot'
> & {
  /** Makes a slot for a VM (a network namespace, say); the slot's own restore options win. */
  readonly prepareSlot?: (context: PrepareSlotContext) => Promise<Slot>;
};

/**
 * The options a pool runs on, after defaults.
 *
 * @interface
 */
export type ResolvedVmPoolOptions = z.output<typeof schema>;

/** Validates `createVmPool`'s options and applies the defaults. */
export const resolvePoolOptions = (options: unknown): ResolvedVmPoolOptions => {
  const resolved = parseInput(schema, options, 'options');
  if (resolved.retryMaxMs < resolved.retryInitialMs) {
    throw new PoolError(
      'ERR_INVALID_INPUT',
      `options.retryMaxMs: must be at least options.retryInitialMs (${resolved.retryInitialMs}), got ${resolved.retryMaxMs}`,
    );
  }
  return resolved;
};
