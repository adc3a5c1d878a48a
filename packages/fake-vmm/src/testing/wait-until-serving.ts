// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { waitUntilConnectable } from '@kindling/helpers';
import { FakeVmmError } from '../firecracker/errors.js';
import { watchExit } from './fake-process.js';
import type { LaunchedFake } from './launch-fake.js';
import { startFailure } from './start-failure.js';

/**
 * Waits until a launched fake's API socket accepts connections; fails fast, with its exit and the
 * end of its stderr, when it dies first, and with `ERR_FAKE_SOCKET_TIMEOUT` after `timeoutMs`.
 */
export const waitUntilServing = async (
  launched: LaunchedFake,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> => {
  const exit = watchExit(launched.fake);
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const signals = [timeout, exit.signal, ...(signal === undefined ? [] : [signal])];
    await waitUntilConnectable(launched.socketPath, { signal: AbortSignal.any(signals) });
  } catch (error) {
    if (signal?.aborted === true) {
      throw signal.reason;
    }
    if (timeout.aborted) {
      throw new FakeVmmError(
        'ERR_FAKE_SOCKET_TIMEOUT',
        `The fake ${launched.label}'s API socket ${launched.socketPath} did not accept connections within ${timeoutMs} ms: raise socketTimeoutMs, or check KINDLING_FAKE_SOCKET_DELAY_MS`,
        { cause: error },
      );
    }
    if (launched.fake.kind === 'child') {
      const exited = await launched.fake.child.exited;
      throw await startFailure(launched.label, exited, launched.child.stderr);
    }
    throw new FakeVmmError(
      'ERR_FAKE_START_FAILED',
      `The detached fake ${launched.label} (pid ${launched.fake.process.pid}) exited before its API socket accepted connections`,
      { cause: error },
    );
  } finally {
    exit.dispose();
  }
};
