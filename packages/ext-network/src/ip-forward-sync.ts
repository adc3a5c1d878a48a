// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync, linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isProcessRunningSync } from '@kindling/executor';
import {
  IP_FORWARD_KEY,
  IP_FORWARD_LOCK_FILE,
  IP_FORWARD_PROC_FILE,
  IP_FORWARD_SAVED_FILE,
  parseSavedIpForward,
  remainingIpForwardUsers,
} from './ip-forward.js';
import type { NetworkRecord } from './network-records.js';
import { runCommandSync } from './run-command-sync.js';

/** Whose share of ip_forward to give up, and how to put the value back. */
export interface IpForwardRelease {
  /** The records folder and the network's record file. */
  readonly dir: string;
  readonly file: string;
  /** This process, as the lock's owner. */
  readonly owner: NetworkRecord['owner'];
  readonly sysctlPath: string;
}

// Node is going down: another process holding the lock is waited for only briefly.
const LOCK_WAIT_MS = 1_000;
const POLL_MS = 5;
const pause = new Int32Array(new SharedArrayBuffer(4));

// Its holder is this process (an async turn Node will never finish) or has died.
const isLockFree = (lock: string, owner: NetworkRecord['owner']): boolean => {
  try {
    const holder = JSON.parse(readFileSync(lock, 'utf8')) as NetworkRecord['owner'];
    return holder.pid === owner.pid || !isProcessRunningSync(holder.pid, holder.startTime);
  } catch {
    return false;
  }
};

// The ip_forward lock, taken the way withStateLock takes it (a hard link); undefined in time.
const takeLockSync = (dir: string, owner: NetworkRecord['owner']): string | undefined => {
  const lock = path.join(dir, IP_FORWARD_LOCK_FILE);
  const partial = `${lock}.${process.pid}-exit.tmp`;
  writeFileSync(partial, JSON.stringify(owner), { mode: 0o600 });
  const deadline = Date.now() + LOCK_WAIT_MS;
  try {
    for (;;) {
      try {
        linkSync(partial, lock);
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          return undefined;
        }
      }
      if (isLockFree(lock, owner)) {
        rmSync(lock, { force: true });
      } else if (Date.now() >= deadline) {
        return undefined;
      } else {
        Atomics.wait(pause, 0, 0, POLL_MS);
      }
    }
  } finally {
    rmSync(partial, { force: true });
  }
};

/**
 * `releaseIpForward`, synchronously, as Node goes down: the network no longer counts as a user,
 * and the last one out puts back the value found. False when the lock could not be had in time or
 * the value not put back: the record then stays for `reconcileNetwork()`.
 */
export const releaseIpForwardSync = (release: IpForwardRelease): boolean => {
  const lock = takeLockSync(release.dir, release.owner);
  if (lock === undefined) {
    return false;
  }
  try {
    const savedFile = path.join(release.dir, IP_FORWARD_SAVED_FILE);
    const saved = existsSync(savedFile)
      ? parseSavedIpForward(readFileSync(savedFile, 'utf8'))
      : undefined;
    if (saved === undefined) {
      return true;
    }
    const users = remainingIpForwardUsers(release.dir, saved, release.file);
    if (users.length > 0) {
      const partial = `${savedFile}.${process.pid}.tmp`;
      writeFileSync(partial, `${JSON.stringify({ original: saved.original, users })}\n`, {
        mode: 0o600,
      });
      renameSync(partial, savedFile);
      return true;
    }
    if (
      readFileSync(IP_FORWARD_PROC_FILE, 'utf8').trim() !== saved.original &&
      !runCommandSync(release.sysctlPath, ['-q', '-w', `${IP_FORWARD_KEY}=${saved.original}`])
    ) {
      return false;
    }
    rmSync(savedFile, { force: true });
    return true;
  } finally {
    rmSync(lock, { force: true });
  }
};
