// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NetworkError } from './errors.js';
import type { HostTools } from './host-tools.js';
import { withStateLock, type LockWaitOptions } from './state-lock.js';

/** The sysctl, the file holding what it was, and the lock of that file (in the records folder). */
export const IP_FORWARD_KEY = 'net.ipv4.ip_forward';
export const IP_FORWARD_PROC_FILE = '/proc/sys/net/ipv4/ip_forward';
export const IP_FORWARD_SAVED_FILE = 'ip-forward.json';
export const IP_FORWARD_LOCK_FILE = 'ip-forward.lock';

/** What the state folder keeps of ip_forward: the value found, and the networks using it. */
export interface SavedIpForward {
  readonly original: string;
  /** The record files (names) of the egress networks that need forwarding. */
  readonly users: readonly string[];
}

/** The saved state as its file holds it; `undefined` when it is not one (JSON.parse may throw). */
export const parseSavedIpForward = (text: string): SavedIpForward | undefined => {
  const saved = JSON.parse(text) as Partial<SavedIpForward>;
  return typeof saved.original === 'string' && Array.isArray(saved.users)
    ? { original: saved.original, users: saved.users.filter((user) => typeof user === 'string') }
    : undefined;
};

const readSaved = async (dir: string): Promise<SavedIpForward | undefined> => {
  try {
    return parseSavedIpForward(await readFile(path.join(dir, IP_FORWARD_SAVED_FILE), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new NetworkError(
      'ERR_STATE_RECORD',
      `Could not read ${path.join(dir, IP_FORWARD_SAVED_FILE)}`,
      {
        cause: error,
      },
    );
  }
};

const writeSaved = async (dir: string, saved: SavedIpForward): Promise<void> => {
  const file = path.join(dir, IP_FORWARD_SAVED_FILE);
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify(saved)}\n`, { mode: 0o600 });
  await rename(partial, file);
};

const readCurrent = async (): Promise<string> =>
  (await readFile(IP_FORWARD_PROC_FILE, 'utf8')).trim();

/**
 * Turns the host's `net.ipv4.ip_forward` on for the egress network recorded in `ownFile`. The
 * first user records the value it found (in the state folder, so it survives a crash of Node),
 * and every user its name, so that the last one can put the value back.
 */
export const acquireIpForward = async (
  dir: string,
  tools: HostTools,
  ownFile: string,
  wait: LockWaitOptions,
): Promise<void> => {
  await withStateLock(dir, IP_FORWARD_LOCK_FILE, wait, async () => {
    const current = await readCurrent();
    const saved = (await readSaved(dir)) ?? { original: current, users: [] };
    const user = path.basename(ownFile);
    await writeSaved(dir, {
      original: saved.original,
      users: [...saved.users.filter((name) => name !== user), user],
    });
    if (current !== '1') {
      await tools.sysctl(IP_FORWARD_KEY, '1');
    }
  });
};

/** What giving up one user's share of ip_forward leaves: the users to keep, or none (restore). */
export const remainingIpForwardUsers = (
  dir: string,
  saved: SavedIpForward,
  ownFile: string,
): readonly string[] => {
  const own = path.basename(ownFile);
  return saved.users.filter((name) => name !== own && existsSync(path.join(dir, name)));
};

/**
 * Gives up one egress network's use of ip_forward. Users whose record is gone (their process
 * died and was reconciled, or never finished) no longer count; when none is left, the value found
 * by the first user is put back and the saved state removed.
 */
export const releaseIpForward = async (
  dir: string,
  tools: HostTools,
  ownFile: string,
  wait: LockWaitOptions,
): Promise<void> => {
  await withStateLock(dir, IP_FORWARD_LOCK_FILE, wait, async () => {
    const saved = await readSaved(dir);
    if (saved === undefined) {
      return;
    }
    const users = remainingIpForwardUsers(dir, saved, ownFile);
    if (users.length > 0) {
      await writeSaved(dir, { original: saved.original, users });
      return;
    }
    if ((await readCurrent()) !== saved.original) {
      await tools.sysctl(IP_FORWARD_KEY, saved.original);
    }
    await rm(path.join(dir, IP_FORWARD_SAVED_FILE), { force: true });
  });
};
