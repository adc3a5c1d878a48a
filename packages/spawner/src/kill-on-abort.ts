// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { addAbortListener } from 'node:events';
import type { SpawnedProcess } from './process-spawner.js';

/** Sends `killSignal` to the process when `signal` aborts; the listener goes once it exits. */
export const killOnAbort = (
  process: SpawnedProcess,
  signal: AbortSignal | undefined,
  killSignal: NodeJS.Signals,
): void => {
  if (signal === undefined) {
    return;
  }
  const listener = addAbortListener(signal, () => {
    process.kill(killSignal);
  });
  const removeOnExit = async (): Promise<void> => {
    await process.exited;
    listener[Symbol.dispose]();
  };
  void removeOnExit();
};
