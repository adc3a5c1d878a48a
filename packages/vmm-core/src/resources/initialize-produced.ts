// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { rmdir } from 'node:fs/promises';
import path from 'node:path';
import { downgradeOwner } from '../ownership/downgrade-owner.js';
import { ensureAbsent, finishOrUndo, makeParent } from './initialize-steps.js';
import type { ResourceContext } from './resource-context.js';
import type { AppliedAction, Resource } from './resource.js';

// The directories `mkdir -p` made, outermost first: from the first one it created to `parent`.
const listMadeDirectories = (first: string | undefined, parent: string): string[] => {
  if (first === undefined) {
    return [];
  }
  const made = [parent];
  let current = parent;
  while (current !== first && path.dirname(current) !== current) {
    current = path.dirname(current);
    made.unshift(current);
  }
  return made;
};

/** Makes the directory the VMM will write `target` in, handing what it made to the VMM's user. */
export const initializeProduced = async (
  resource: Resource,
  target: string,
  context: ResourceContext,
): Promise<AppliedAction> => {
  context.signal?.throwIfAborted();
  await ensureAbsent('ERR_RESOURCE_CREATE', resource, target);
  const first = await makeParent('ERR_RESOURCE_CREATE', resource, target);
  const made = listMadeDirectories(first, path.dirname(target));
  // The VMM writes the file itself, so it needs the directories Kindling made for it; a directory
  // that already existed keeps its owner.
  await finishOrUndo(
    'ERR_RESOURCE_CREATE',
    resource,
    context,
    async () => {
      for (const directory of made) {
        await downgradeOwner(directory, context.ownership, { recursive: false });
      }
    },
    async () => {
      for (const directory of made.toReversed()) {
        await rmdir(directory);
      }
    },
  );
  return { action: 'produced' };
};
