// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lstat, rename, rm } from 'node:fs/promises';
import { downgradeOwner } from '../ownership/downgrade-owner.js';
import { getDowngradeOwner } from '../ownership/ownership-model.js';
import { ensureAbsent, failure, finishOrUndo, placeInFolders } from './initialize-steps.js';
import { moveFile } from './move-file.js';
import { restoreOwner, sameOwner, type OwnerChange } from './owner-change.js';
import { reclaimIfUnreadable } from './reclaim.js';
import type { ResourceContext } from './resource-context.js';
import type { MoveMethod } from './resource-type.js';
import type { AppliedAction, Resource } from './resource.js';

/**
 * Puts the user's file at `target` by the resource's move method and hands it to the VMM's user
 * (a hard link as the inode ledger's policy allows); nothing happens when `target` is the initial
 * path.
 */
export const initializeMoved = async (
  resource: Resource,
  method: MoveMethod,
  target: string,
  context: ResourceContext,
): Promise<AppliedAction> => {
  context.signal?.throwIfAborted();
  const source = resource.initialPath;
  if (target === source) {
    return { action: 'none' };
  }
  // Files the VMM made as root (e.g. a snapshot to restore) are reclaimed first; files the
  // control process can already read keep their owner.
  await reclaimIfUnreadable(source, context);
  let original;
  try {
    original = await lstat(source);
  } catch (error) {
    throw failure('ERR_RESOURCE_MOVE', resource, `find ${source}`, error);
  }
  if (original.isDirectory()) {
    throw failure(
      'ERR_RESOURCE_MOVE',
      resource,
      `move ${source}`,
      new Error(`${source} is a directory; a resource is a file`),
    );
  }
  await ensureAbsent('ERR_RESOURCE_MOVE', resource, target);
  const owner = getDowngradeOwner(context.ownership);
  return placeInFolders('ERR_RESOURCE_MOVE', resource, target, context, false, async (folders) => {
    context.signal?.throwIfAborted();
    let applied;
    try {
      applied = await moveFile(source, target, method, (from, to) =>
        context.inodes.link(from, to, owner),
      );
    } catch (error) {
      throw failure('ERR_RESOURCE_MOVE', resource, `${method} ${source} to ${target}`, error);
    }
    if (applied.way === 'hard-linked') {
      const { hold } = applied;
      // The inode ledger handed the shared inode over already.
      await finishOrUndo(
        'ERR_RESOURCE_MOVE',
        resource,
        context,
        () => Promise.resolve(),
        () => context.inodes.release(hold),
      );
      return { action: 'hard-linked', folders, link: hold };
    }
    if (applied.way === 'copied') {
      await finishOrUndo(
        'ERR_RESOURCE_MOVE',
        resource,
        context,
        () => downgradeOwner(target, context.ownership, { recursive: false }),
        () => rm(target, { force: true }),
      );
      return { action: 'copied', folders };
    }
    // A rename hands the user's own file to the VMM's user: remember the owner it had.
    const had = { uid: original.uid, gid: original.gid };
    const ownerChange: OwnerChange | undefined =
      owner === undefined || sameOwner(had, owner) ? undefined : { original: had, given: owner };
    await finishOrUndo(
      'ERR_RESOURCE_MOVE',
      resource,
      context,
      () => downgradeOwner(target, context.ownership, { recursive: false }),
      async () => {
        await rename(target, source);
        await restoreOwner(source, ownerChange);
      },
    );
    return { action: 'renamed', folders, ownerChange };
  });
};
