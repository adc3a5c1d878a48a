// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  DirectSpawner,
  type ProcessSpawner,
  type SpawnOptions,
  type SpawnedProcess,
} from '@kindling/spawner';

/** One recorded `spawn` call. */
export interface SpawnCall {
  readonly binary: string;
  readonly args: readonly string[];
}

/**
 * A spawner that records every call, then runs it for real (or runs what `substitute` returns
 * instead, e.g. a `sleep` standing in for a tool that hangs).
 */
export class RecordingSpawner implements ProcessSpawner {
  readonly calls: SpawnCall[] = [];
  readonly #inner = new DirectSpawner();
  readonly #substitute: ((call: SpawnCall) => SpawnCall) | undefined;

  constructor(substitute?: (call: SpawnCall) => SpawnCall) {
    this.#substitute = substitute;
  }

  spawn(binary: string, args: readonly string[], options?: SpawnOptions): Promise<SpawnedProcess> {
    const call = { binary, args: [...args] };
    this.calls.push(call);
    const run = this.#substitute?.(call) ?? call;
    return this.#inner.spawn(run.binary, run.args, options);
  }
}
