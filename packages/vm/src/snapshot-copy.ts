// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lchown, mkdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { VmError } from './errors.js';
import { FileCopyFailure, onSide } from './copy-failure.js';
import { copySparseFile, type FileOwner } from './sparse-copy.js';

const NOT_A_FOLDER = 'a part of its folder path is a file, not a folder';

/** A snapshot's two files, the state and the memory. */
export interface SnapshotFilePair {
  readonly snapshotPath: string;
  readonly memPath: string;
}

/** What `copySnapshotFiles` takes beyond the files. */
export interface SnapshotCopyOptions {
  /** Who owns the copies and the folders made for them; default: this process. */
  readonly owner?: FileOwner | undefined;
  /** Whose files the sources must be (a downgraded VM's user; see `copySparseFile`). */
  readonly sourceOwner?: FileOwner | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Removes the folders made for a copy that failed, deepest first, and only while empty. */
const removeFolders = async (folders: readonly string[]): Promise<void> => {
  for (const folder of folders.toReversed()) {
    // A folder something else was put in meanwhile stays (ENOTEMPTY), and so do those above it.
    await rmdir(folder).catch(() => {});
  }
};

/**
 * Makes the missing folders above `file`, a normalized absolute path (as `cp -r` and `mkdir -p`
 * do), gives them to `owner` when one is asked for, and returns them, topmost first.
 */
const createFolders = async (file: string, owner: FileOwner | undefined): Promise<string[]> => {
  const folder = path.dirname(file);
  // mkdir(2) says EEXIST when a file stands where a folder of the path should be.
  const first = await onSide('destination', file, () => mkdir(folder, { recursive: true }), {
    reasons: { EEXIST: NOT_A_FOLDER },
    fixes: { EEXIST: 'choose a path whose folders are folders' },
  });
  if (first === undefined) {
    return [];
  }
  const created: string[] = [];
  for (let current = folder; ; current = path.dirname(current)) {
    created.unshift(current);
    if (current === first || current === path.dirname(current)) {
      break;
    }
  }
  if (owner !== undefined) {
    try {
      for (const made of created) {
        // lchown: a link put in place of a folder just made is changed, not what it points to.
        await onSide('destination', file, () => lchown(made, owner.uid, owner.gid), {
          what: `give the folder ${made} to uid ${owner.uid}, gid ${owner.gid}`,
          fixes: { EPERM: 'only root can give a file to another user: leave the owner out' },
        });
      }
    } catch (error) {
      await removeFolders(created);
      throw error;
    }
  }
  return created;
};

const toVmError = (error: unknown): unknown =>
  error instanceof FileCopyFailure
    ? new VmError('ERR_SNAPSHOT_COPY_FAILED', `snapshot.copy(): ${error.message}`, {
        cause: error.cause,
      })
    : error;

/**
 * Copies a snapshot's state and memory files to new paths (normalized, absolute), making their
 * folders, sparse (see
 * `copySparseFile`). All or nothing: on a failure the copies and the folders made for them are
 * removed, and the failure is `ERR_SNAPSHOT_COPY_FAILED` naming the side at fault.
 */
export const copySnapshotFiles = async (
  from: SnapshotFilePair,
  to: SnapshotFilePair,
  options: SnapshotCopyOptions,
): Promise<void> => {
  const { owner, sourceOwner, signal } = options;
  const fileOptions = {
    ...(owner === undefined ? {} : { owner }),
    ...(sourceOwner === undefined ? {} : { sourceOwner }),
    ...(signal === undefined ? {} : { signal }),
  };
  const folders: string[] = [];
  const copied: string[] = [];
  try {
    for (const key of ['snapshotPath', 'memPath'] as const) {
      signal?.throwIfAborted();
      folders.push(...(await createFolders(to[key], owner)));
      await copySparseFile(from[key], to[key], fileOptions);
      copied.push(to[key]);
    }
  } catch (error) {
    for (const file of copied) {
      await rm(file, { force: true });
    }
    await removeFolders(folders);
    throw toVmError(error);
  }
};
