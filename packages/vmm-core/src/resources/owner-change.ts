// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lstat } from 'node:fs/promises';
import { downgradeOwner } from '../ownership/downgrade-owner.js';
import type { Owner } from '../ownership/ownership-model.js';

/** An owner Kindling gave a user's file: the one it had, and the one it was given. */
export interface OwnerChange {
  readonly original: Owner;
  readonly given: Owner;
}

/** Whether two owners are the same user and group. */
export const sameOwner = (left: Owner, right: Owner): boolean =>
  left.uid === right.uid && left.gid === right.gid;

/**
 * Gives a user's file back the owner it had before Kindling changed it, but only while it still
 * has the owner Kindling gave it: whoever changed it since (the user, or another tool) wins.
 */
export const restoreOwner = async (
  target: string,
  change: OwnerChange | undefined,
): Promise<void> => {
  if (change === undefined || !sameOwner(await lstat(target), change.given)) {
    return;
  }
  await downgradeOwner(target, { kind: 'downgraded', ...change.original }, { recursive: false });
};
