// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lstat, mkdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { ProcessSpawner } from '@kindling/spawner';
import {
  downgradeOwner,
  isUpgradedOwnership,
  upgradeOwner,
  type Resource,
  type ResourceSystem,
} from '@kindling/vmm-core';
import { removeCgroupDirsAsync } from './jail-cgroups.js';
import type { JailPaths } from './jail-paths.js';
import { ExecutorError } from './errors.js';
import type { JailTarget } from './jail-targets.js';
import { combineStepFailures, getErrno, wrapStepFailure } from './step-failure.js';

/** What laying out or removing a jail works with. */
export interface JailLayoutRequest {
  readonly paths: JailPaths;
  readonly resourceSystem: ResourceSystem;
  /** Runs the `chown -R` that reclaims root's files under an `upgraded-*` ownership model. */
  readonly spawner: ProcessSpawner;
  readonly signal: AbortSignal | undefined;
}

const isPathPresent = async (target: string): Promise<boolean> => {
  try {
    await lstat(target);
    return true;
  } catch (error) {
    if (getErrno(error) === 'ENOENT') {
      return false;
    }
    throw error;
  }
};

// The folders above jails (`<base>`, `<base>/<exec name>`) that Kindling made, in this process: each
// is removed when the last jail in it goes. One made by someone else stays, empty or not.
const madeJailParents = new Set<string>();

const jailParentsOf = (paths: JailPaths): readonly string[] => {
  const execDir = path.dirname(paths.jailDir);
  return [execDir, path.dirname(execDir)];
};

const rememberMadeParents = (paths: JailPaths, firstMade: string | undefined): void => {
  if (firstMade === undefined) {
    return;
  }
  for (const folder of jailParentsOf(paths)) {
    const below = path.relative(firstMade, folder);
    if (below === '' || !below.startsWith('..')) {
      madeJailParents.add(folder);
    }
  }
};

/**
 * The folders above this jail (`<base>/<exec name>`, then `<base>`) that Kindling made in this
 * process and that removing the jail removes once empty, innermost first.
 */
export const listMadeJailParents = (paths: JailPaths): readonly string[] => {
  const made: string[] = [];
  for (const folder of jailParentsOf(paths)) {
    if (!madeJailParents.has(folder)) {
      break;
    }
    made.push(folder);
  }
  return made;
};

// Innermost first, so that a base made by Kindling goes once its exec folder has gone.
const removeMadeParents = async (paths: JailPaths): Promise<void> => {
  for (const folder of jailParentsOf(paths)) {
    if (!madeJailParents.has(folder)) {
      return;
    }
    try {
      await rmdir(folder);
    } catch (error) {
      const errno = getErrno(error);
      if (errno === 'ENOTEMPTY' || errno === 'EEXIST') {
        // Another jail (or a file of someone's) is still there: the last one out removes it.
        return;
      }
      if (errno !== 'ENOENT') {
        throw error;
      }
    }
    madeJailParents.delete(folder);
  }
};

// What Firecracker made as root must be the control process's before it can be removed.
// Only an upgraded model has such files: under any other, no stat is spent on finding out.
const reclaimJail = async (request: JailLayoutRequest): Promise<void> => {
  const { jailDir } = request.paths;
  if (isUpgradedOwnership(request.resourceSystem.ownership) && (await isPathPresent(jailDir))) {
    await upgradeOwner(
      jailDir,
      request.resourceSystem.ownership,
      request.spawner,
      request.signal ? { signal: request.signal } : {},
    );
  }
};

// `<base>/<exec name>` holds the jail Kindling removes and remakes as root: a symlink there would
// turn `rm -r <jail>` onto another folder, and one that others can write to could be swapped for
// one. A missing folder is fine: Kindling makes it, private.
const checkExecFolder = async (paths: JailPaths): Promise<void> => {
  const execDir = path.dirname(paths.jailDir);
  let info;
  try {
    info = await lstat(execDir);
  } catch (error) {
    if (getErrno(error) === 'ENOENT') {
      return;
    }
    throw wrapStepFailure('ERR_PREPARE_FAILED', `inspect the jail folder ${execDir}`, error);
  }
  const uid = process.getuid?.();
  const isOurs = uid === undefined || info.uid === uid;
  if (!info.isDirectory() || !isOurs || (info.mode & 0o022) !== 0) {
    throw new ExecutorError(
      'ERR_PREPARE_FAILED',
      `The jail folder ${execDir} is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a folder of ours that only we can write to'}, so the jail in it cannot be trusted: remove it, or choose another chrootBaseDir`,
    );
  }
};

/**
 * Lays out a fresh jail: removes one left by an earlier run (the jailer's mknod and pid file
 * would fail on it with EEXIST), makes the chroot and the API socket's folder (mode 0700), and
 * initialises every resource at its target; only then is the chroot handed to the jail's user, so
 * no one else can plant a symbolic link in it while Kindling puts files there. On failure the
 * jail is removed again.
 */
export const layOutJail = async (
  request: JailLayoutRequest,
  socketPath: string | undefined,
  targets: ReadonlyMap<Resource, JailTarget>,
): Promise<void> => {
  const { jailDir, rootDir } = request.paths;
  const { resourceSystem, signal } = request;
  await checkExecFolder(request.paths);
  try {
    await reclaimJail(request);
    await rm(jailDir, { recursive: true, force: true });
  } catch (error) {
    throw wrapStepFailure('ERR_PREPARE_FAILED', `remove the old jail ${jailDir}`, error, signal);
  }
  try {
    rememberMadeParents(request.paths, await mkdir(rootDir, { recursive: true, mode: 0o700 }));
    // Firecracker binds its socket without making the folder; the jailer makes only /run.
    const socketFolder =
      socketPath === undefined
        ? undefined
        : await mkdir(path.dirname(socketPath), { recursive: true, mode: 0o700 });
    if (socketFolder !== undefined) {
      await downgradeOwner(socketFolder, resourceSystem.ownership);
    }
    await resourceSystem.initializeAll((resource) => targets.get(resource) ?? {}, { signal });
    await downgradeOwner(rootDir, resourceSystem.ownership, { recursive: false });
  } catch (error) {
    const failure = wrapStepFailure(
      'ERR_PREPARE_FAILED',
      `lay out the jail ${jailDir}`,
      error,
      signal,
    );
    try {
      await rm(jailDir, { recursive: true, force: true });
      await removeMadeParents(request.paths);
    } catch (undoError) {
      throw combineStepFailures('ERR_PREPARE_FAILED', 'prepare and its undo', [failure, undoError]);
    }
    throw failure;
  }
};

/**
 * Disposes of every resource (hard-linked files get their owner back, renamed ones go home),
 * then removes `<base>/<exec name>/<id>` as a whole, and `<base>/<exec name>` and `<base>` when
 * Kindling made them and no other jail is left in them, then the VM's cgroup folders (rmdir). When
 * disposing fails the jail is kept: it may still hold a file of the user's that was moved in by
 * rename.
 */
export const removeJail = async (request: JailLayoutRequest): Promise<void> => {
  const { jailDir } = request.paths;
  const { signal } = request;
  try {
    await reclaimJail(request);
    await request.resourceSystem.disposeAll({ signal });
  } catch (error) {
    // The cgroups hold no file of anyone's: they go even when the jail is kept (a folder still
    // busy then is left, behind the failure reported).
    await removeCgroupDirsAsync(request.paths.cgroupDirs);
    throw wrapStepFailure(
      'ERR_CLEANUP_FAILED',
      `dispose of the resources, so the jail ${jailDir} was kept (it may hold a file of yours moved in by rename); remove it by hand once they are safe`,
      error,
      signal,
    );
  }
  try {
    await rm(jailDir, { recursive: true, force: true });
    await removeMadeParents(request.paths);
  } catch (error) {
    throw wrapStepFailure('ERR_CLEANUP_FAILED', `remove the jail ${jailDir}`, error, signal);
  }
  const { failures } = await removeCgroupDirsAsync(request.paths.cgroupDirs);
  if (failures.length > 0) {
    const step = 'remove the cgroup folders';
    throw wrapStepFailure(
      'ERR_CLEANUP_FAILED',
      step,
      combineStepFailures('ERR_CLEANUP_FAILED', step, failures),
    );
  }
};
