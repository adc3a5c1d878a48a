// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Runs async tasks one at a time, in the order they were given. */
export class SerialLock {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` once every task given before it has settled; settles as `task` does. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    // The chain only orders the tasks: a failure reaches the caller through `result`.
    this.#tail = result.catch(() => null);
    return result;
  }
}
