// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { rmdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { JailerArguments } from '@kindling/vmm-core';
import { readCgroupMounts, type CgroupMount } from './cgroup-mounts.js';

// How long removing a cgroup waits for the kernel to move a process that just died out of it.
const CGROUP_BUSY_WAIT_MS = 1000;
const CGROUP_RETRY_MS = 10;

/** Where the jailer finds a controller's hierarchy: v2 the first cgroup2 mount, v1 the mount that carries it; `cgroupRoot` stands for the mounts. */
export const findCgroupHierarchy = (
  version: 1 | 2,
  controller: string,
  cgroupRoot: string | undefined,
  mounts: () => readonly CgroupMount[],
): string | undefined => {
  if (cgroupRoot !== undefined) {
    return version === 2 ? cgroupRoot : path.join(cgroupRoot, controller);
  }
  const found = mounts().find((mount) =>
    version === 2
      ? mount.fsType === 'cgroup2'
      : mount.fsType === 'cgroup' && mount.options.includes(controller),
  );
  return found?.mountPoint;
};

/**
 * The cgroup folders the jailer makes for these arguments, `<hierarchy>/<parent>/<id>`: none
 * without `--cgroup` (v2 then moves into the parent, which it never makes for the VM), one for v2,
 * one per controller's hierarchy for v1. Never the parent, which other VMs share.
 * `cgroupRoot` stands for the mounts: the v2 hierarchy, or for v1 the folder holding
 * `<controller>` hierarchies; without it they are read from `/proc/self/mounts`.
 */
export const resolveCgroupDirs = (
  jailer: JailerArguments,
  execName: string,
  cgroupRoot: string | undefined,
): readonly string[] => {
  const { options } = jailer;
  const files = Object.keys(options.cgroups ?? {});
  if (files.length === 0) {
    return [];
  }
  const version = options.cgroupVersion ?? 1;
  // The jailer's default parent is the exec file's name, after canonicalisation.
  const parent = options.parentCgroup ?? execName;
  let mounts: readonly CgroupMount[] | undefined;
  const readMounts = (): readonly CgroupMount[] => (mounts ??= readCgroupMounts());
  const dirs = new Set<string>();
  for (const file of files) {
    const controller = file.slice(0, file.indexOf('.'));
    const hierarchy = findCgroupHierarchy(version, controller, cgroupRoot, readMounts);
    if (hierarchy !== undefined) {
      dirs.add(path.join(hierarchy, parent, options.id));
    }
  }
  return [...dirs];
};

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** What removing cgroup folders did: the folders removed, and what failed. */
export interface CgroupRemoval {
  readonly removed: readonly string[];
  readonly failures: readonly Error[];
}

// One rmdir(2): done (removed, or already gone), to retry (busy, before the deadline), or failed.
const attemptRemoval = (
  dir: string,
  deadline: number,
  removal: { removed: string[]; failures: Error[] },
): 'done' | 'retry' => {
  try {
    rmdirSync(dir);
    removal.removed.push(dir);
    return 'done';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EBUSY' && Date.now() < deadline) {
      return 'retry';
    }
    if (code !== 'ENOENT') {
      removal.failures.push(new Error(`${dir}: ${(error as Error).message}`, { cause: error }));
    }
    return 'done';
  }
};

/**
 * Removes cgroup folders with rmdir(2), which is how cgroupfs removes one (its interface files
 * cannot be unlinked). rmdir fails with EBUSY while a process is still in it: a VMM that just
 * died is moved out by the kernel shortly, so EBUSY is retried for up to a second. This form
 * blocks, for a Node process going down (and `reconcile()`'s synchronous sweep); a running
 * program's cleanup uses `removeCgroupDirsAsync`. A folder already gone is fine.
 */
export const removeCgroupDirs = (dirs: readonly string[]): CgroupRemoval => {
  const removal = { removed: [] as string[], failures: [] as Error[] };
  for (const dir of dirs) {
    const deadline = Date.now() + CGROUP_BUSY_WAIT_MS;
    while (attemptRemoval(dir, deadline, removal) === 'retry') {
      sleepSync(CGROUP_RETRY_MS);
    }
  }
  return removal;
};

/** `removeCgroupDirs` without blocking the event loop while a folder is busy. */
export const removeCgroupDirsAsync = async (dirs: readonly string[]): Promise<CgroupRemoval> => {
  const removal = { removed: [] as string[], failures: [] as Error[] };
  for (const dir of dirs) {
    const deadline = Date.now() + CGROUP_BUSY_WAIT_MS;
    while (attemptRemoval(dir, deadline, removal) === 'retry') {
      await delay(CGROUP_RETRY_MS);
    }
  }
  return removal;
};
