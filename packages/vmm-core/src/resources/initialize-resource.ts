// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { initializeCreated } from './initialize-created.js';
import { initializeMoved } from './initialize-moved.js';
import { initializeProduced } from './initialize-produced.js';
import type { ResourceContext } from './resource-context.js';
import type { AppliedAction, Resource } from './resource.js';

/**
 * Puts one resource in place at `target` (its effective path) as its type says, hands it to the
 * VMM's user, and returns what it did. A failure leaves nothing behind and throws
 * `VmmCoreError` (`ERR_RESOURCE_CREATE`, `ERR_RESOURCE_MOVE` or `ERR_OWNERSHIP_CHANGE`), or the
 * signal's reason.
 */
export const initializeResource = (
  resource: Resource,
  target: string,
  context: ResourceContext,
): Promise<AppliedAction> => {
  const { type } = resource;
  if (type.kind === 'created') {
    return initializeCreated(resource, type.fileType, target, context);
  }
  return type.kind === 'moved'
    ? initializeMoved(resource, type.method, target, context)
    : initializeProduced(resource, target, context);
};
