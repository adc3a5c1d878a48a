// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isProcessRunningSync } from '@kindling/executor';
import { onHostExit } from '@kindling/process';
import { DirectSpawner } from '@kindling/spawner';
import { GONE } from './host-tools.js';
import {
  IP_FORWARD_KEY,
  IP_FORWARD_LOCK_FILE,
  IP_FORWARD_PROC_FILE,
  IP_FORWARD_SAVED_FILE,
  parseSavedIpForward,
  remainingIpForwardUsers,
} from './ip-forward.js';
import type { ResolvedVmNetworkOptions } from './network-options.js';
import type { NetworkPlan } from './network-plan.js';
import type { NetworkRecord } from './network-records.js';

/** What a network's host-exit sweep removes, and how. */
export interface HostExitSweepRequest {
  readonly plan: NetworkPlan;
  /** The records folder and this network's record file. */
  readonly dir: string;
  readonly file: string;
  /** This process as the record's owner (the lock's too). */
  readonly owner: NetworkRecord['owner'];
  readonly options: Pick<
    ResolvedVmNetworkOptions,
    'spawner' | 'iproute2Path' | 'nftPath' | 'sysctlPath' | 'timeoutMs'
  >;
}

// Node is going down: each command, and the wait for another process's ip_forward lock, is short.
const COMMAND_MS = 2_000;
const LOCK_WAIT_MS = 1_000;
const POLL_MS = 5;
const pause = new Int32Array(new SharedArrayBuffer(4));

const runSync = (binary: string, args: readonly string[], alreadyDone?: RegExp): boolean => {
  const result = spawnSync(binary, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: COMMAND_MS,
    killSignal: 'SIGKILL',
  });
  return (
    result.status === 0 || (result.status !== null && alreadyDone?.test(result.stderr) === true)
  );
};

// The lock file's owner is this process (an async turn Node will never finish) or is dead.
const isLockFree = (lock: string, owner: NetworkRecord['owner']): boolean => {
  try {
    const holder = JSON.parse(readFileSync(lock, 'utf8')) as NetworkRecord['owner'];
    return holder.pid === owner.pid || !isProcessRunningSync(holder.pid, holder.startTime);
  } catch {
    return false;
  }
};

// The ip_forward lock taken the way withStateLock takes it (a hard link), waiting briefly.
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

/** `releaseIpForward`, synchronously; false when the lock could not be had in time. */
const releaseIpForwardSync = (request: HostExitSweepRequest): boolean => {
  const lock = takeLockSync(request.dir, request.owner);
  if (lock === undefined) {
    return false;
  }
  try {
    const savedFile = path.join(request.dir, IP_FORWARD_SAVED_FILE);
    if (!existsSync(savedFile)) {
      return true;
    }
    const saved = parseSavedIpForward(readFileSync(savedFile, 'utf8'));
    if (saved === undefined) {
      return true;
    }
    const users = remainingIpForwardUsers(request.dir, saved, request.file);
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
      !runSync(request.options.sysctlPath, ['-q', '-w', `${IP_FORWARD_KEY}=${saved.original}`])
    ) {
      return false;
    }
    rmSync(savedFile, { force: true });
    return true;
  } finally {
    rmSync(lock, { force: true });
  }
};

/**
 * Removes a network synchronously as `tearDownNetwork` does (egress table and ip_forward, then the
 * namespace with its veth, or the TAP), then its record; what could not go keeps the record, for
 * `reconcileNetwork()`, which removes every piece whether or not it is still there.
 */
export const removeNetworkSync = (request: HostExitSweepRequest): boolean => {
  const { plan, options } = request;
  const ip = options.iproute2Path;
  const results: boolean[] = [];
  if (plan.egress !== undefined) {
    results.push(
      runSync(options.nftPath, ['delete', 'table', 'ip', plan.egress.hostTable], GONE.nftTable),
    );
    results.push(releaseIpForwardSync(request));
  }
  if (plan.netns === undefined) {
    results.push(runSync(ip, ['link', 'delete', 'dev', plan.tap], GONE.link));
  } else {
    results.push(runSync(ip, ['link', 'delete', 'dev', plan.netns.vethHost], GONE.link));
    results.push(runSync(ip, ['netns', 'delete', plan.netns.name], GONE.netns));
  }
  if (results.includes(false)) {
    return false;
  }
  rmSync(request.file, { force: true });
  return true;
};

/**
 * Has Node going down remove the network (through `onHostExit` of `@kindling/process`, after its
 * VMs are killed) when `ip`, `nft` and `sysctl` run directly: an elevated spawner (sudo, su) may
 * ask for a password and cannot run while Node exits, so its networks stay recorded for
 * `reconcileNetwork()`. The result stops it (a no-op when nothing was registered).
 */
export const sweepNetworkOnHostExit = (request: HostExitSweepRequest): (() => void) => {
  const { spawner } = request.options;
  if (spawner !== undefined && !(spawner instanceof DirectSpawner)) {
    return () => {};
  }
  return onHostExit(() => {
    removeNetworkSync(request);
  });
};
