// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VmEndEvent } from '@kindling/vm';

/** `ready`: a VM was restored and waits, paused, to be acquired. */
export type PoolReadyEvent = CustomEvent<{
  readonly slotIndex: number;
  /** From the refill's start (slot and memory check included) to the snapshot loaded. */
  readonly restoreMs: number;
}>;

/** `refill-error`: a refill failed; what it made is gone, and the next waits `retryInMs`. */
export type PoolRefillErrorEvent = CustomEvent<{
  readonly error: unknown;
  /** The slot the refill used; `undefined` when it stopped before taking one (low memory). */
  readonly slotIndex: number | undefined;
  readonly failuresInARow: number;
  readonly retryInMs: number;
}>;

/** `vm-lost`: a ready VM's Firecracker ended by itself, or its resume failed in `acquire()`. */
export type PoolVmLostEvent = CustomEvent<{
  readonly slotIndex: number;
  /** How the process ended; `undefined` when a resume failed (`error` says why). */
  readonly exit: VmEndEvent['detail'] | undefined;
  readonly error: unknown;
}>;

/** Every event a `VmPool` fires, by type. */
export interface VmPoolEventMap {
  readonly ready: PoolReadyEvent;
  readonly 'refill-error': PoolRefillErrorEvent;
  readonly 'vm-lost': PoolVmLostEvent;
}

/** The types of `VmPoolEventMap`. */
export type VmPoolEventType = keyof VmPoolEventMap;

/** A listener of one `VmPool` event type. */
export type VmPoolEventListener<Type extends VmPoolEventType> = (
  event: VmPoolEventMap[Type],
) => void;
