// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NetworkError } from './errors.js';
import type { HostTools } from './host-tools.js';
import { readNetworkRecords } from './network-records.js';
import { withStateLock, type LockWaitOptions } from './state-lock.js';

const KEY = 'net.ipv4.ip_forward';
const PROC_FILE = '/proc/sys/net/ipv4/ip_forward';
const SAVED_FILE = 'ip-forward.json';
const LOCK_FILE = 'ip-forward.lock';

const readSaved = async (dir: string): Promise<string | undefined> => {
  try {
    const saved = JSON.parse(await readFile(path.join(dir, SAVED_FILE), 'utf8')) as {
      original?: unknown;
    };
    return typeof saved.original === 'string' ? saved.original : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new NetworkError('ERR_STATE_RECORD', `Could not read ${path.join(dir, SAVED_FILE)}`, {
      cause: error,
    });
  }
};

const readCurrent = async (): Promise<string> => (await readFile(PROC_FILE, 'utf8')).trim();

/**
 * Turns the host's `net.ipv4.ip_forward` on for an egress network. The first user records the
 * value it found (in the state folder, so it survives a crash of Node), so that the last one can
 * put it back.
 */
export const acquireIpForward = async (
  dir: string,
  tools: HostTools,
  wait: LockWaitOptions,
): Promise<void> => {
  await withStateLock(dir, LOCK_FILE, wait, async () => {
    const current = await readCurrent();
    if ((await readSaved(dir)) === undefined) {
      await writeFile(path.join(dir, SAVED_FILE), `${JSON.stringify({ original: current })}\n`, {
        mode: 0o600,
      });
    }
    if (current !== '1') {
      await tools.sysctl(KEY, '1');
    }
  });
};

/**
 * Gives up one egress network's use of ip_forward: when no other recorded network has egress,
 * the value found by the first user is put back and its record removed. `ownFile` is the
 * leaving network's record, which is not counted.
 */
export const releaseIpForward = async (
  dir: string,
  tools: HostTools,
  ownFile: string,
  wait: LockWaitOptions,
): Promise<void> => {
  await withStateLock(dir, LOCK_FILE, wait, async () => {
    const others = (await readNetworkRecords(dir)).filter(
      (stored) => stored.file !== ownFile && 'record' in stored && stored.record.plan.egress,
    );
    if (others.length > 0) {
      return;
    }
    const original = await readSaved(dir);
    if (original === undefined) {
      return;
    }
    if ((await readCurrent()) !== original) {
      await tools.sysctl(KEY, original);
    }
    await rm(path.join(dir, SAVED_FILE), { force: true });
  });
};
