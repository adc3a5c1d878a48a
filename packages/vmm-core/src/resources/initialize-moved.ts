// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lstat, rename, rm } from 'node:fs/promises';
import { downgradeOwner } from '../ownership/downgrade-owner.js';
import { getDowngradeOwner, type Owner } from '../ownership/ownership-model.js';
import { ensureAbsent, failure, finishOrUndo, makeParent } from './initialize-steps.js';
import { moveFile } from './move-file.js';
import { reclaimIfUnreadable } from './reclaim.js';
import { restoreOwner } from './restore-owner.js';
import type { ResourceContext } from './resource-context.js';
import type { MoveMethod } from './resource-type.js';
import type { AppliedAction, Resource } from './resource.js';

/**
 * Puts the user's file at `target` by the resource's move method and hands it to the VMM's user;
 * nothing happens when `target` is the initial path.
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
  await makeParent('ERR_RESOURCE_MOVE', resource, target);
  context.signal?.throwIfAborted();
  let applied;
  try {
    applied = await moveFile(source, target, method);
  } catch (error) {
    throw failure('ERR_RESOURCE_MOVE', resource, `${method} ${source} to ${target}`, error);
  }
  // A hard link or a rename hands the user's own file to the VMM's user: remember its owner.
  const originalOwner: Owner | undefined =
    getDowngradeOwner(context.ownership) === undefined
      ? undefined
      : { uid: original.uid, gid: original.gid };
  await finishOrUndo(
    'ERR_RESOURCE_MOVE',
    resource,
    context,
    () => downgradeOwner(target, context.ownership, { recursive: false }),
    async () => {
      if (applied === 'renamed') {
        await rename(target, source);
        await restoreOwner(source, originalOwner);
      } else {
        await rm(target, { force: true });
      }
    },
  );
  return applied === 'copied' ? { action: 'copied' } : { action: applied, originalOwner };
};
