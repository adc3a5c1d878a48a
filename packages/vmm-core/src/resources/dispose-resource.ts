// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { rename, rm } from 'node:fs/promises';
import { VmmCoreError } from '../errors.js';
import { messageOf, pathExists } from './file-errors.js';
import { restoreOwner } from './owner-change.js';
import { reclaimIfPresent } from './reclaim.js';
import type { ResourceContext } from './resource-context.js';
import { describeResource, type AppliedAction, type Resource } from './resource.js';

const removeFile = async (target: string): Promise<void> => {
  // `force` makes an already missing file (a snapshot never taken) a success, as the goal holds.
  await rm(target, { force: true });
};

const undoAction = async (
  resource: Resource,
  applied: AppliedAction,
  target: string,
  context: ResourceContext,
): Promise<void> => {
  switch (applied.action) {
    case 'none': {
      // The effective path is the user's own file: it stays.
      return;
    }
    case 'created':
    case 'produced':
    case 'copied': {
      await reclaimIfPresent(target, context);
      await removeFile(target);
      return;
    }
    case 'hard-linked': {
      // The link shares the user's inode: the ledger gives it its owner back when that is safe,
      // then drops only the link. It is not reclaimed: that would change the user's own file.
      await context.inodes.release(applied.link);
      return;
    }
    case 'renamed': {
      // The file is the user's own: it goes back where it came from, never deleted.
      await reclaimIfPresent(target, context);
      if (await pathExists(resource.initialPath)) {
        throw new Error(
          `${resource.initialPath} is taken, so ${target} cannot be moved back: move it by hand`,
        );
      }
      await rename(target, resource.initialPath);
      await restoreOwner(resource.initialPath, applied.ownerChange);
    }
  }
};

/**
 * Lets go of the folders a disposed-of resource needed, removing those no resource needs any more.
 * Throws `VmmCoreError` `ERR_RESOURCE_DISPOSE` naming the folder that could not be removed.
 */
export const releaseResourceFolders = async (
  resource: Resource,
  applied: AppliedAction,
  context: ResourceContext,
): Promise<void> => {
  if (applied.action === 'none') {
    return;
  }
  try {
    await context.folders.release(applied.folders);
  } catch (error) {
    throw new VmmCoreError(
      'ERR_RESOURCE_DISPOSE',
      `The ${describeResource(resource)} was disposed of, but a folder made for it could not be removed (${messageOf(error)}): remove it by hand`,
      { cause: error },
    );
  }
};

/**
 * Removes the file initialising a resource put in place, and nothing the user owns: a created,
 * produced, copied or hard-linked file is deleted at its effective path (the user's original stays),
 * a renamed file is moved back to its initial path; its folders are let go of afterwards by
 * `releaseResourceFolders`. Throws `VmmCoreError` `ERR_RESOURCE_DISPOSE` (or
 * `ERR_OWNERSHIP_CHANGE` from a chown).
 */
export const disposeResource = async (
  resource: Resource,
  applied: AppliedAction,
  target: string,
  context: ResourceContext,
): Promise<void> => {
  context.signal?.throwIfAborted();
  try {
    await undoAction(resource, applied, target, context);
  } catch (error) {
    if (error instanceof VmmCoreError || context.signal?.aborted === true) {
      throw error;
    }
    throw new VmmCoreError(
      'ERR_RESOURCE_DISPOSE',
      `Could not dispose of the ${describeResource(resource)} at ${target}: ${messageOf(error)}`,
      { cause: error },
    );
  }
};
