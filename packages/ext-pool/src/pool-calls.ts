// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { MAX_TIMER_MS } from '@kindling/helpers';
import { z } from 'zod';

const callFields = {
  /** Aborting rejects the call with the signal's reason. */
  signal: z.instanceof(AbortSignal).optional(),
  /** How long the call may wait (default 30 000 ms). */
  timeoutMs: z.number().int().min(1).max(MAX_TIMER_MS).default(30_000),
};

// The schema of `PoolWaitOptions`.
export const waitOptionsSchema = z.strictObject(callFields);
/**
 * What `pool.acquire()` and `pool.waitUntilFull()` take.
 *
 * @interface
 */
export type PoolWaitOptions = z.input<typeof waitOptionsSchema>;

// The schema of `PoolReleaseOptions`.
export const releaseOptionsSchema = z.strictObject({
  /**
   * Keep the VM's slot (its namespace, say) for a fresh VM restored from the snapshot, instead of
   * destroying it with the VM. A pool without `prepareSlot` has no slot to keep.
   */
  reset: z.boolean().default(false),
});
/**
 * What `pool.release()` takes.
 *
 * @interface
 */
export type PoolReleaseOptions = z.input<typeof releaseOptionsSchema>;
