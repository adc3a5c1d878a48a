// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { downgradeOwner } from '../ownership/downgrade-owner.js';
import type { Owner } from '../ownership/ownership-model.js';

/** Gives a user's file (hard-linked or renamed into place) back to the owner it had before. */
export const restoreOwner = async (target: string, owner: Owner | undefined): Promise<void> => {
  if (owner !== undefined) {
    await downgradeOwner(target, { kind: 'downgraded', ...owner }, { recursive: false });
  }
};
