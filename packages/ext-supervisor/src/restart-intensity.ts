// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * OTP's restart intensity: at most `maxRestarts` restarts within any `withinMs` window. A restart
 * that would be one too many is refused, and the supervisor gives up.
 */
export class RestartIntensity {
  readonly #maxRestarts: number;
  readonly #withinMs: number;
  readonly #times: number[] = [];

  constructor(maxRestarts: number, withinMs: number) {
    this.#maxRestarts = maxRestarts;
    this.#withinMs = withinMs;
  }

  /** The restarts counted in the window that ends at `now`. */
  countAt(now: number): number {
    this.#forget(now);
    return this.#times.length;
  }

  /** Counts a restart at `now` (ms, monotonic); false when it exceeds the intensity. */
  tryRestart(now: number): boolean {
    this.#forget(now);
    if (this.#times.length >= this.#maxRestarts) {
      return false;
    }
    this.#times.push(now);
    return true;
  }

  // As OTP does, a restart older than the window no longer counts.
  #forget(now: number): void {
    while (this.#times.length > 0 && (this.#times[0] ?? 0) <= now - this.#withinMs) {
      this.#times.shift();
    }
  }
}
