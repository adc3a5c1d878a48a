// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import net from 'node:net';
import path from 'node:path';
import { createDeadline, pollUntil } from '@kindling/helpers';
import { ProcessError } from './errors.js';
import { describeExit, type ExitDescription } from './exit-description.js';
import { resolveNonEmptyString, resolveSignal, resolveTimeoutMs } from './option-checks.js';
import { createShortSocketPath } from './short-socket-path.js';

/**
 * How long `waitForSocket` waits when no `timeoutMs` is given. Firecracker binds its socket within
 * milliseconds, but a busy host (a CI runner, a hundred VMs starting at once) can delay a process's
 * first steps by seconds; an end is reported at once anyway, so only a true hang waits this long.
 */
export const DEFAULT_SOCKET_WAIT_TIMEOUT_MS = 15_000;

/** What `waitForSocket` needs: the socket, and optionally the process expected to create it. */
export interface WaitForSocketOptions {
  /** The socket's path as this process sees it. */
  readonly socketPath: string;
  readonly signal?: AbortSignal;
  /** Default 5 000 ms; `Infinity` for none. */
  readonly timeoutMs?: number;
  /** Settles when the process that should create the socket exits: the wait then fails at once. */
  readonly exited?: PromiseLike<ExitDescription>;
  /**
   * The last lines the process wrote, quoted when it exits first. Firecracker logs to stdout
   * unless given a log path, and panics and jailer errors go to stderr: give whichever you have.
   */
  readonly outputTail?: () => string;
}

// The back-off starts fast, because bind(2) and listen(2) are microseconds apart and a connect
// between them is refused. It stays tight when there is no watch (the folder does not exist yet, or
// the watch failed), and slows down when the watch covers it and is only a safety net.
const SOCKET_BACK_OFF = { minDelayMs: 2, maxDelayMs: 50, maxWatchedDelayMs: 250 } as const;

const exitedEarly = (socketPath: string, exit: ExitDescription, tail: string): ProcessError =>
  new ProcessError(
    'ERR_SOCKET_WAIT_EXITED',
    `The process ${describeExit(exit)} before its API socket ${socketPath} accepted connections` +
      (tail.trim() === ''
        ? ' (it wrote nothing)'
        : `; the last lines of its output:\n${tail.trimEnd()}`),
  );

const ignoreError = (): void => {
  // A connection waiting to be handed over may break before its first request: the API client
  // then sees it is not open and connects afresh, so its error has nobody to tell.
};

type ConnectAttempt = net.Socket | 'missing' | 'refused';

/**
 * The connection when something accepts it on `connectPath`; `missing` (ENOENT and the like)
 * while nothing has bound the path, `refused` (ECONNREFUSED) between bind(2) and listen(2) or on a
 * stale socket.
 */
const tryConnect = (connectPath: string): Promise<ConnectAttempt> =>
  new Promise((resolve) => {
    const socket = net.connect({ path: connectPath });
    const onError = (error: NodeJS.ErrnoException): void => {
      socket.destroy();
      resolve(error.code === 'ECONNREFUSED' ? 'refused' : 'missing');
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      socket.on('error', ignoreError);
      // An open connection waiting for its first request must not keep Node alive, no more than
      // an idle API client does.
      socket.unref();
      resolve(socket);
    });
  });

// bind(2) and listen(2) are microseconds apart, so a refusal is retried at once (between two
// turns of the event loop) for this long before the back-off's first sleep: the socket that
// Firecracker has just bound is known to accept within a millisecond, not after a 2 ms timer.
const REFUSED_RETRY_MS = 1;

const nextTurn = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

/** The connection, or null when nothing accepts yet (after a millisecond of retries if refused). */
const connectOnce = async (connectPath: string): Promise<net.Socket | null> => {
  const retryUntil = performance.now() + REFUSED_RETRY_MS;
  for (;;) {
    const attempt = await tryConnect(connectPath);
    if (attempt === 'missing') {
      return null;
    }
    if (attempt !== 'refused') {
      return attempt;
    }
    if (performance.now() >= retryUntil) {
      return null;
    }
    await nextTurn();
  }
};

/**
 * Resolves once something accepts connections on `socketPath`. It watches the socket's folder and
 * tries to connect on every change there, falling back to a bounded back-off; it fails fast with
 * `ERR_SOCKET_WAIT_EXITED` (exit status and output tail) when `exited` settles first, with
 * `ERR_SOCKET_WAIT_TIMEOUT` after `timeoutMs`, and with the signal's reason on abort.
 */
export const waitForSocket = async (options: WaitForSocketOptions): Promise<void> => {
  (await connectWhenReady(options)).destroy();
};

/**
 * `waitForSocket`, resolving with the connection that proved the socket ready, open: the API
 * client takes it as its first connection, so that its first request does not connect again.
 */
export const connectWhenReady = async (options: WaitForSocketOptions): Promise<net.Socket> => {
  const socketPath = resolveNonEmptyString('options.socketPath', options.socketPath);
  const signal = resolveSignal('options.signal', options.signal);
  const timeoutMs = resolveTimeoutMs(
    'options.timeoutMs',
    options.timeoutMs,
    DEFAULT_SOCKET_WAIT_TIMEOUT_MS,
  );
  signal?.throwIfAborted();
  using deadline = createDeadline(timeoutMs, signal);
  // connect(2) fails on a path over sockaddr_un's 108 bytes (a jailed Firecracker's often is);
  // the folder watch has no such limit and keeps the real folder.
  using connectPath = createShortSocketPath(socketPath);

  // The process exiting first ends the wait at once, with its status and its last output.
  const failFast = new AbortController();
  const { exited, outputTail } = options;
  const failOnExit = async (): Promise<void> => {
    try {
      const exit = await (exited as PromiseLike<ExitDescription>);
      if (!failFast.signal.aborted) {
        failFast.abort(exitedEarly(socketPath, exit, outputTail?.() ?? ''));
      }
    } catch (error) {
      failFast.abort(error);
    }
  };
  if (exited !== undefined) {
    void failOnExit();
  }
  try {
    return await pollUntil(() => connectOnce(connectPath.path), {
      signal: AbortSignal.any([deadline.signal, failFast.signal]),
      backOff: SOCKET_BACK_OFF,
      watchFolder: path.dirname(socketPath),
    });
  } catch (error) {
    if (failFast.signal.aborted && error === failFast.signal.reason) {
      throw error;
    }
    if (deadline.timedOut) {
      throw new ProcessError(
        'ERR_SOCKET_WAIT_TIMEOUT',
        `No process accepted connections on the API socket ${socketPath} within ${timeoutMs} ms: check --api-sock and the process's output, or allow more time`,
        { cause: deadline.signal.reason },
      );
    }
    throw error;
  } finally {
    // Settled either way: a later exit has nothing left to end.
    failFast.abort();
  }
};
