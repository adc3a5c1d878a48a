// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import type { DisposalPlan } from './disposal-plan.js';
import { processInodeLedger } from './inode-ledger.js';
import type { ResourceSystem } from './resource-system.js';
import { getResourceRecord } from './resource.js';

const depthOf = (folder: string): number => folder.split(path.sep).length;

/**
 * What `resourceSystem.disposeAll()` would do now, as plain data: the files it would delete, the
 * hard links it would drop (with the owner to give back), the user's renamed files it would move
 * home, and the folders made for them, deepest first. `carryOutDisposalPlan` does it
 * synchronously, for a process going down or one cleaning up after another that died. The plan
 * changes as resources are initialised and disposed of: a resource that is not initialised has
 * nothing in place, and one used in place is the user's own and stays.
 */
export const planDisposal = (resourceSystem: ResourceSystem): DisposalPlan => {
  const inodes = processInodeLedger;
  const files: string[] = [];
  const links: DisposalPlan['links'][number][] = [];
  const moveBack: DisposalPlan['moveBack'][number][] = [];
  const folders = new Set<string>();
  for (const resource of resourceSystem.resources) {
    const { state, applied, effectivePath } = getResourceRecord(resource);
    if (state !== 'initialized' || applied === undefined || effectivePath === undefined) {
      continue;
    }
    switch (applied.action) {
      case 'none': {
        continue;
      }
      case 'created':
      case 'produced':
      case 'copied': {
        files.push(effectivePath);
        break;
      }
      case 'hard-linked': {
        const ownerChange = inodes.describeOwnerChange(applied.link);
        links.push({ path: effectivePath, ...(ownerChange === undefined ? {} : { ownerChange }) });
        break;
      }
      case 'renamed': {
        const { ownerChange } = applied;
        moveBack.push({
          path: effectivePath,
          home: resource.initialPath,
          ...(ownerChange === undefined ? {} : { ownerChange }),
        });
        break;
      }
    }
    for (const folder of applied.folders.folders) {
      folders.add(folder.path);
    }
  }
  // Deepest first, so that a folder is empty by the time its parent is tried.
  const ordered = [...folders].toSorted((left, right) => depthOf(right) - depthOf(left));
  return { files, links, moveBack, folders: ordered };
};
