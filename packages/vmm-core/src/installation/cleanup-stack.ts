// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * Cleanup steps run in reverse order on disposal, every one of them even when another fails:
 * `await using cleanup = new CleanupStack()` (Node 22 has no AsyncDisposableStack).
 */
export class CleanupStack implements AsyncDisposable {
  readonly #steps: (() => Promise<void>)[] = [];

  /** Adds a step; the last one added runs first. */
  defer(step: () => Promise<void>): void {
    this.#steps.push(step);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const errors: Error[] = [];
    for (const step of this.#steps.splice(0).toReversed()) {
      try {
        await step();
      } catch (error) {
        errors.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    const [first] = errors;
    if (first !== undefined) {
      throw errors.length === 1
        ? first
        : new AggregateError(errors, 'Several cleanup steps failed');
    }
  }
}
