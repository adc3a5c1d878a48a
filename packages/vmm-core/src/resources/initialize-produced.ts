// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { ensureAbsent, placeInFolders } from './initialize-steps.js';
import type { ResourceContext } from './resource-context.js';
import type { AppliedAction, Resource } from './resource.js';

/**
 * Makes the folder the VMM will write `target` in: the VMM makes the file itself, so the folder
 * (when Kindling made it) is handed to the VMM's user, whichever resource made it first.
 */
export const initializeProduced = async (
  resource: Resource,
  target: string,
  context: ResourceContext,
): Promise<AppliedAction> => {
  context.signal?.throwIfAborted();
  await ensureAbsent('ERR_RESOURCE_CREATE', resource, target);
  return placeInFolders('ERR_RESOURCE_CREATE', resource, target, context, true, (folders) => {
    context.signal?.throwIfAborted();
    return Promise.resolve({ action: 'produced', folders });
  });
};
