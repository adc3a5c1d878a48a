// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { SpawnedProcess } from '@kindling/spawner';
import { type DetachedProcess, isRunning, waitForDetachedExit } from './detached-process.js';
import { FakeVmmError } from '../firecracker/errors.js';

/** The process behind a fake: our child, or a detached pid known by its start time. */
export type FakeProcess =
  | { readonly kind: 'child'; readonly child: SpawnedProcess }
  | { readonly kind: 'detached'; readonly process: DetachedProcess };

/** The Firecracker pid of a fake. */
export const pidOf = (fake: FakeProcess): number =>
  fake.kind === 'child' ? fake.child.pid : fake.process.pid;

const STOP_TIMEOUT_MS = 5000;

const rejectOnAbort = (signal: AbortSignal): Promise<never> =>
  new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });

/** Sends SIGKILL (if it still runs) and waits up to five seconds for the process to be gone. */
export const killAndWait = async (fake: FakeProcess): Promise<void> => {
  const signal = AbortSignal.timeout(STOP_TIMEOUT_MS);
  try {
    if (fake.kind === 'child') {
      fake.child.kill('SIGKILL');
      await Promise.race([fake.child.exited, rejectOnAbort(signal)]);
      return;
    }
    if (await isRunning(fake.process)) {
      process.kill(fake.process.pid, 'SIGKILL');
    }
    await waitForDetachedExit(fake.process, signal);
  } catch (error) {
    throw new FakeVmmError(
      'ERR_FAKE_STOP_FAILED',
      `The fake Firecracker (pid ${pidOf(fake)}) did not exit within ${STOP_TIMEOUT_MS} ms of SIGKILL`,
      { cause: error },
    );
  }
};

/** A signal aborted when the process exits; `dispose` stops watching (and aborts it too). */
export const watchExit = (fake: FakeProcess): { signal: AbortSignal; dispose: () => void } => {
  const controller = new AbortController();
  const exited = (): void => controller.abort(new Error('the process exited'));
  if (fake.kind === 'child') {
    void fake.child.exited.then(exited);
  } else {
    // The wait itself is aborted by dispose(); only its normal end means the process exited.
    waitForDetachedExit(fake.process, controller.signal).then(exited, () => controller.abort());
  }
  return { signal: controller.signal, dispose: () => controller.abort() };
};
