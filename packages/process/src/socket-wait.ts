// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { watch, type FSWatcher } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createDeadline } from './deadline.js';
import { ProcessError } from './errors.js';
import { describeExit, type ExitDescription } from './exit-description.js';
import { resolveNonEmptyString, resolveSignal, resolveTimeoutMs } from './option-checks.js';
import { createShortSocketPath } from './short-socket-path.js';

/** How long `waitForSocket` waits when no `timeoutMs` is given. */
export const DEFAULT_SOCKET_WAIT_TIMEOUT_MS = 5_000;

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
const FIRST_RETRY_MS = 2;
const MAX_RETRY_UNWATCHED_MS = 50;
const MAX_RETRY_WATCHED_MS = 250;

const exitedEarly = (socketPath: string, exit: ExitDescription, tail: string): ProcessError =>
  new ProcessError(
    'ERR_SOCKET_WAIT_EXITED',
    `The process ${describeExit(exit)} before its API socket ${socketPath} accepted connections` +
      (tail.trim() === ''
        ? ' (it wrote nothing)'
        : `; the last lines of its output:\n${tail.trimEnd()}`),
  );

/**
 * Resolves once something accepts connections on `socketPath`. It watches the socket's folder and
 * tries to connect on every change there, falling back to a bounded back-off; it fails fast with
 * `ERR_SOCKET_WAIT_EXITED` (exit status and output tail) when `exited` settles first, with
 * `ERR_SOCKET_WAIT_TIMEOUT` after `timeoutMs`, and with the signal's reason on abort.
 */
export const waitForSocket = async (options: WaitForSocketOptions): Promise<void> => {
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
  // the watch below has no such limit and keeps the real folder.
  using connectPath = createShortSocketPath(socketPath);
  const folder = path.dirname(socketPath);
  const name = path.basename(socketPath);

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    let watcher: FSWatcher | undefined;
    let timer: NodeJS.Timeout | undefined;
    let retryMs = FIRST_RETRY_MS;
    let attempt: net.Socket | undefined;
    let again = false;

    const finish = (error?: Error): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      watcher?.close();
      attempt?.destroy();
      deadline.signal.removeEventListener('abort', onAbort);
      if (error === undefined) {
        resolve();
      } else {
        reject(error);
      }
    };

    const tryConnect = (): void => {
      if (settled) {
        return;
      }
      if (attempt !== undefined) {
        again = true;
        return;
      }
      const socket = net.connect(connectPath.path);
      attempt = socket;
      socket.once('connect', () => {
        socket.destroy();
        finish();
      });
      socket.once('error', () => {
        // ENOENT or ECONNREFUSED: not there yet, or a stale socket from an earlier process.
        socket.destroy();
        attempt = undefined;
        if (again) {
          again = false;
          tryConnect();
        }
      });
    };

    const scheduleRetry = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        retryMs = Math.min(
          retryMs * 2,
          watcher === undefined ? MAX_RETRY_UNWATCHED_MS : MAX_RETRY_WATCHED_MS,
        );
        scheduleRetry();
        tryConnect();
      }, retryMs);
    };

    const onAbort = (): void => {
      finish(
        deadline.timedOut
          ? new ProcessError(
              'ERR_SOCKET_WAIT_TIMEOUT',
              `No process accepted connections on the API socket ${socketPath} within ${timeoutMs} ms: check --api-sock and the process's output, or allow more time`,
              { cause: deadline.signal.reason },
            )
          : (signal?.reason as Error),
      );
    };

    if (deadline.signal.aborted) {
      onAbort();
      return;
    }
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    const { exited, outputTail } = options;
    if (exited !== undefined) {
      const failFast = async (): Promise<void> => {
        const exit = await exited;
        if (!settled) {
          finish(exitedEarly(socketPath, exit, outputTail?.() ?? ''));
        }
      };
      failFast().catch((error: unknown) => finish(error as Error));
    }
    try {
      watcher = watch(folder, (_event, changed) => {
        if (changed === null || changed === name) {
          // A change to the socket's name: try now, and retry soon in case listen(2) lags bind(2).
          retryMs = FIRST_RETRY_MS;
          scheduleRetry();
          tryConnect();
        }
      });
      watcher.on('error', () => {
        // The folder went away: nothing more to watch, the back-off carries on alone.
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      // The folder does not exist yet (a jail being laid out): the back-off covers it.
      watcher = undefined;
    }
    scheduleRetry();
    tryConnect();
  });
};
