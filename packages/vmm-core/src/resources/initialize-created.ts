// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { open, rm } from 'node:fs/promises';
import { downgradeOwner } from '../ownership/downgrade-owner.js';
import { createFifo } from './create-fifo.js';
import { ensureAbsent, failure, finishOrUndo, placeInFolders } from './initialize-steps.js';
import type { ResourceContext } from './resource-context.js';
import type { AppliedAction, Resource } from './resource.js';

/** Creates an empty file or a FIFO at `target` and hands it to the VMM's user. */
export const initializeCreated = async (
  resource: Resource,
  fileType: 'file' | 'fifo',
  target: string,
  context: ResourceContext,
): Promise<AppliedAction> => {
  context.signal?.throwIfAborted();
  await ensureAbsent('ERR_RESOURCE_CREATE', resource, target);
  // The VMM only opens the file Kindling made: its folder needs no new owner.
  return placeInFolders(
    'ERR_RESOURCE_CREATE',
    resource,
    target,
    context,
    false,
    async (folders) => {
      context.signal?.throwIfAborted();
      try {
        if (fileType === 'file') {
          // wx: fail rather than truncate a file someone else made in the meantime.
          const handle = await open(target, 'wx', 0o600);
          await handle.close();
        } else {
          await createFifo(target, context.spawner, {
            timeoutMs: context.toolTimeoutMs,
            signal: context.signal,
          });
        }
      } catch (error) {
        if (context.signal?.aborted === true) {
          // mkfifo may have made the FIFO before it was stopped; the path was free before.
          await rm(target, { force: true });
          context.signal.throwIfAborted();
        }
        throw failure('ERR_RESOURCE_CREATE', resource, `create the ${fileType} ${target}`, error);
      }
      await finishOrUndo(
        'ERR_RESOURCE_CREATE',
        resource,
        context,
        () => downgradeOwner(target, context.ownership, { recursive: false }),
        () => rm(target, { force: true }),
      );
      return { action: 'created', folders };
    },
  );
};
