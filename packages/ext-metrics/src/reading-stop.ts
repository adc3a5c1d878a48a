// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * When reading stops: at once on abort, or after what is written is drained once the writer
 * has ended (`until` settled). Sources poll `aborted` and `ended`, and `pause` until one changes.
 */
export class ReadingStop {
  #ended = false;
  readonly #wakers = new Set<() => void>();
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = () => this.#wake();

  constructor(signal: AbortSignal | undefined, until: PromiseLike<unknown> | undefined) {
    this.#signal = signal;
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    // A rejected `until` ends the writer too: the VM is gone either way.
    until?.then(
      () => this.#end(),
      () => this.#end(),
    );
  }

  get aborted(): boolean {
    return this.#signal?.aborted ?? false;
  }

  /** Whether the writer has ended (what is still unread is the last of it). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Calls `listener` once, on abort or end (at once if either happened). */
  onStop(listener: () => void): void {
    if (this.aborted || this.#ended) {
      listener();
    } else {
      this.#wakers.add(listener);
    }
  }

  /** Waits up to `ms`, less when reading is aborted or the writer ends. */
  async pause(ms: number): Promise<void> {
    if (this.aborted || this.#ended) {
      return;
    }
    const { promise, resolve } = Promise.withResolvers<void>();
    const timer = setTimeout(resolve, ms);
    this.#wakers.add(resolve);
    await promise;
    clearTimeout(timer);
    this.#wakers.delete(resolve);
  }

  /** Lets go of the signal once reading is over (a long-lived signal must not pile listeners). */
  release(): void {
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#wakers.clear();
  }

  #end(): void {
    this.#ended = true;
    this.#wake();
  }

  #wake(): void {
    const wakers = [...this.#wakers];
    this.#wakers.clear();
    for (const wake of wakers) {
      wake();
    }
  }
}
