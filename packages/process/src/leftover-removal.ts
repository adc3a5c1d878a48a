// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lstatSync, rmdirSync, rmSync } from 'node:fs';
import { removeCgroupDirs } from '@kindling/executor';
import { carryOutDisposalPlan, type DisposalPlan } from '@kindling/vmm-core';

/** The files a VMM leaves behind, as its state record names them. */
export interface Leftovers {
  readonly socketPath?: string;
  readonly jailPath?: string;
  readonly jailParents?: readonly string[];
  readonly disposal?: DisposalPlan;
  readonly extraPaths?: readonly string[];
  /** The cgroup folders the jailer made for the VMM, removed (rmdir) once it is gone. */
  readonly cgroupDirs?: readonly string[];
}

/** What removing leftovers did: the paths removed (or moved back), and what failed. */
export interface LeftoverRemoval {
  readonly removed: readonly string[];
  readonly failures: readonly Error[];
}

// rm -f that says whether there was something to remove.
const removeFile = (target: string): boolean => {
  const present = isPresent(target);
  rmSync(target, { force: true });
  return present;
};

const errorCodeOf = (error: unknown): unknown => (error as NodeJS.ErrnoException | null)?.code;

const isPresent = (target: string): boolean => {
  try {
    lstatSync(target);
    return true;
  } catch (error) {
    if (errorCodeOf(error) === 'ENOENT') {
      return false;
    }
    throw error;
  }
};

/**
 * Removes what a VMM's own cleanup would, synchronously, so that a Node process going down can do
 * it before it dies (and `reconcile()` the same way later): its API socket and extra files, its
 * resources as their disposal plan says (the user's files stay, or go back home), its cgroup
 * folders (rmdir, as cgroupfs wants; the VMM must be gone), then its jail as
 * a whole and the folders above it that Kindling made, once empty. Nothing is followed through a
 * symlink. The jail is kept when a resource step failed: it may still hold a user's file moved in
 * by rename. Every other step is tried; failures are returned, never thrown.
 */
export const removeLeftovers = (leftovers: Leftovers): LeftoverRemoval => {
  const removed: string[] = [];
  const failures: Error[] = [];
  const attempt = (target: string, step: () => boolean): void => {
    try {
      if (step()) {
        removed.push(target);
      }
    } catch (error) {
      failures.push(
        new Error(`${target}: ${(error as Error).message ?? String(error)}`, { cause: error }),
      );
    }
  };
  for (const target of [leftovers.socketPath, ...(leftovers.extraPaths ?? [])]) {
    if (target !== undefined) {
      attempt(target, () => removeFile(target));
    }
  }
  if (leftovers.disposal !== undefined) {
    const outcome = carryOutDisposalPlan(leftovers.disposal);
    removed.push(...outcome.removed);
    failures.push(...outcome.failures);
  }
  // They hold no file of anyone's: removed even when the jail is kept.
  const cgroups = removeCgroupDirs(leftovers.cgroupDirs ?? []);
  removed.push(...cgroups.removed);
  const { jailPath } = leftovers;
  if (jailPath === undefined || failures.length > 0) {
    failures.push(...cgroups.failures);
    return { removed, failures };
  }
  failures.push(...cgroups.failures);
  attempt(jailPath, () => {
    const present = isPresent(jailPath);
    // rm -r removes a symlink inside the jail, never what it points to.
    rmSync(jailPath, { recursive: true, force: true });
    return present;
  });
  for (const folder of leftovers.jailParents ?? []) {
    try {
      rmdirSync(folder);
      removed.push(folder);
    } catch (error) {
      const code = errorCodeOf(error);
      // Another jail (or someone's file) is still there: the last one out removes it.
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        break;
      }
      if (code !== 'ENOENT') {
        failures.push(new Error(`${folder}: ${(error as Error).message}`, { cause: error }));
        break;
      }
    }
  }
  return { removed, failures };
};
