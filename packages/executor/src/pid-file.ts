// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pollUntil } from '@kindling/helpers';
import { getErrno, wrapStepFailure } from './step-failure.js';

/** What `waitForPidFile` reads with. */
export interface WaitForPidFileOptions {
  /** Aborts the wait with its reason (a deadline, or the caller's signal). */
  readonly signal: AbortSignal;
  /** Called once when the file is there but unreadable, e.g. to reclaim it from root. */
  readonly onUnreadable?: () => Promise<void>;
  /** Receives the file's text after each read, for a message when the wait gives up. */
  readonly onRead?: (text: string) => void;
}

// The jailer creates the file, then writes the pid: an empty or partial read is retried.
const PID_TEXT = /^[1-9][0-9]{0,9}$/u;

/**
 * Waits until the jailer's pid file holds a pid and returns it. After a first read, the folder is
 * watched so the write is seen at once, with a back-off from 1 ms to 50 ms in case a change is
 * missed.
 */
export const waitForPidFile = async (
  pidFile: string,
  options: WaitForPidFileOptions,
): Promise<number> => {
  let reclaimed = false;
  // The file is missing (null) until the jailer creates it.
  const readText = async (): Promise<string | null> => {
    try {
      return await readFile(pidFile, 'utf8');
    } catch (error) {
      const code = getErrno(error);
      if (code === 'ENOENT') {
        return null;
      }
      if ((code === 'EACCES' || code === 'EPERM') && !reclaimed && options.onUnreadable) {
        reclaimed = true;
        await options.onUnreadable();
        return null;
      }
      throw wrapStepFailure('ERR_SPAWN_FAILED', `read Firecracker's pid file ${pidFile}`, error);
    }
  };
  const readPid = async (): Promise<number | null> => {
    const text = await readText();
    if (text === null) {
      return null;
    }
    options.onRead?.(text);
    const trimmed = text.trim();
    return PID_TEXT.test(trimmed) ? Number(trimmed) : null;
  };
  // The jailer has exited by now and its pid file is written: one read usually finds the pid,
  // without setting up (and tearing down) a watch on the folder.
  options.signal.throwIfAborted();
  return (
    (await readPid()) ??
    pollUntil(readPid, {
      signal: options.signal,
      backOff: { minDelayMs: 1, maxDelayMs: 50 },
      watchFolder: path.dirname(pidFile),
    })
  );
};
