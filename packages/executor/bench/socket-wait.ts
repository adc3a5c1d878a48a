// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The benchmarks' wait for an API socket: not timed, so a plain connect loop does.

import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

const SOCKET_WAIT_MS = 15_000;

/** Resolves once `socketPath` accepts a connection; throws after 15 s. */
export const waitForSocket = async (socketPath: string): Promise<void> => {
  const deadline = Date.now() + SOCKET_WAIT_MS;
  for (;;) {
    const socket = connect(socketPath);
    // `once` rejects on an `error` event: a refused connect is a `false`, not a failure.
    const connected = await once(socket, 'connect').then(
      () => true,
      () => false,
    );
    socket.destroy();
    if (connected) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${socketPath} did not accept a connection within ${SOCKET_WAIT_MS} ms`);
    }
    await delay(2);
  }
};
