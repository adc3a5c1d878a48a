// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VmEvent } from '@kindling/client';

/** A listener of VM events; it must not throw. */
export type VmEventListener = (event: VmEvent) => void;

/** The server's VM events, fanned out to every `GET /v1/events` stream. */
export class VmEventHub {
  readonly #listeners = new Set<VmEventListener>();

  /** Adds a listener; the returned function removes it. */
  subscribe(listener: VmEventListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(event: Omit<VmEvent, 'at'>): void {
    const stamped: VmEvent = { ...event, at: new Date().toISOString() };
    for (const listener of this.#listeners) {
      listener(stamped);
    }
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
