// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createConnection, type Socket } from 'node:net';
import { createDeadline } from '@kindling/helpers';
import type { ResolvedWaitOptions } from './call-options.js';
import { VmError, errorMessageOf } from './errors.js';
import { reachSocketPath, type ReachableSocketPath } from './reachable-socket-path.js';

/** What `vm.connectVsock()` takes. */
export interface VsockConnectOptions {
  /** Aborting rejects with the signal's reason and closes the connection. */
  readonly signal?: AbortSignal;
  /** How long the connection and the handshake may take (default 10 000 ms; `Infinity`). */
  readonly timeoutMs?: number;
}

/** The default bound of a vsock connection and its handshake. */
export const DEFAULT_VSOCK_CONNECT_TIMEOUT_MS = 10_000;

// `OK 4294967295\n` is 14 bytes: a longer line without a newline is not Firecracker's answer.
const MAX_REPLY_LENGTH = 32;
const OK_LINE = /^OK (\d{1,10})$/u;

/** Where to connect, and how the connection is named in messages. */
export interface VsockTarget {
  /** The host path of the vsock device's Unix socket (its effective path for a jailed VM). */
  readonly udsPath: string;
  readonly port: number;
  /** Names the call in messages, e.g. `vm.connectVsock(5000)`. */
  readonly caller: string;
}

const closedError = ({ caller, port }: VsockTarget): VmError =>
  new VmError(
    'ERR_VSOCK_CLOSED',
    `${caller}: Firecracker closed the connection instead of answering OK: nothing listens on port ${port} in the guest (yet); start the guest's service, or wait for it, then connect again`,
  );

const handshake = (socket: Socket, target: VsockTarget, signal: AbortSignal): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    let received = Buffer.alloc(0);
    let connected = false;
    const settle = (error?: Error): void => {
      socket.off('connect', onConnect).off('data', onData).off('close', onClose);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) {
        resolve();
      } else {
        reject(error);
      }
    };
    const onConnect = (): void => {
      connected = true;
      socket.write(`CONNECT ${target.port}\n`);
    };
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf(0x0a);
      if (end === -1 && received.length <= MAX_REPLY_LENGTH) {
        return;
      }
      const line = received.toString('latin1', 0, end === -1 ? MAX_REPLY_LENGTH : end);
      if (end === -1 || !OK_LINE.test(line)) {
        settle(
          new VmError(
            'ERR_VSOCK_HANDSHAKE',
            `${target.caller}: expected "OK <host port>" from ${target.udsPath}, got ${JSON.stringify(line)}: is this a Firecracker vsock socket?`,
          ),
        );
        return;
      }
      socket.pause();
      // Bytes the guest sent right after OK (HTTP/2 SETTINGS, a greeting) belong to the user.
      const rest = received.subarray(end + 1);
      if (rest.length > 0) {
        socket.unshift(rest);
      }
      settle();
    };
    const onClose = (): void => settle(closedError(target));
    const onError = (error: Error): void => {
      settle(
        connected
          ? closedError(target)
          : new VmError(
              'ERR_VSOCK_CONNECT',
              `${target.caller}: could not connect to the vsock socket ${target.udsPath}: ${error.message}`,
              { cause: error },
            ),
      );
    };
    const onAbort = (): void => settle(signal.reason as Error);
    socket.on('connect', onConnect).on('data', onData).on('close', onClose).on('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });

const reach = async (target: VsockTarget): Promise<ReachableSocketPath> => {
  try {
    return await reachSocketPath(target.udsPath);
  } catch (error) {
    throw new VmError(
      'ERR_VSOCK_CONNECT',
      `${target.caller}: could not reach the vsock socket ${target.udsPath}: ${errorMessageOf(error)}`,
      { cause: error },
    );
  }
};

/**
 * Opens a host-initiated vsock connection: connects to the device's Unix socket, sends
 * `CONNECT <port>\n` and reads Firecracker's `OK <host port>\n`. Resolves with the socket,
 * paused, any bytes that came after the OK line put back. Fails with `ERR_VSOCK_CONNECT` (the
 * socket cannot be reached), `ERR_VSOCK_CLOSED` (Firecracker closed the connection: no guest
 * listener on the port), `ERR_VSOCK_HANDSHAKE` (an answer other than OK), `ERR_WAIT_TIMEOUT`, or
 * the signal's reason; the connection is closed on every failure.
 */
export const connectVsockSocket = async (
  target: VsockTarget,
  options: ResolvedWaitOptions,
): Promise<Socket> => {
  options.signal?.throwIfAborted();
  using deadline = createDeadline(options.timeoutMs, options.signal);
  await using reachable = await reach(target);
  const socket = createConnection(reachable.path);
  try {
    await handshake(socket, target, deadline.signal);
    return socket;
  } catch (error) {
    socket.destroy();
    if (deadline.timedOut) {
      throw new VmError(
        'ERR_WAIT_TIMEOUT',
        `${target.caller}: no OK from Firecracker within ${options.timeoutMs} ms: is the VM running and its guest responsive?`,
        { cause: error },
      );
    }
    throw error instanceof VmError || error === options.signal?.reason
      ? error
      : new VmError('ERR_VSOCK_CONNECT', `${target.caller}: ${errorMessageOf(error)}`, {
          cause: error,
        });
  }
};
