// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { isUpgradedOwnership } from '../ownership/ownership-model.js';
import { upgradeOwner } from '../ownership/upgrade-owner.js';
import { errorCodeOf, pathExists } from './file-errors.js';
import type { ResourceContext } from './resource-context.js';

const runUpgrade = async (target: string, context: ResourceContext): Promise<void> => {
  if (isUpgradedOwnership(context.ownership) && context.elevatedSpawner !== undefined) {
    await upgradeOwner(target, context.ownership, context.elevatedSpawner, {
      timeoutMs: context.toolTimeoutMs,
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
  }
};

const canRead = async (target: string): Promise<boolean> => {
  try {
    await access(target, constants.R_OK);
    return true;
  } catch (error) {
    return errorCodeOf(error) === 'ENOENT';
  }
};

/**
 * Under an `upgraded-*` model, gives `target` back to the control process (elevated `chown -R`)
 * when it exists: what the VMM made as root is reclaimed before it is removed or returned, as
 * fctools does.
 */
export const reclaimIfPresent = async (target: string, context: ResourceContext): Promise<void> => {
  if (await pathExists(target)) {
    await runUpgrade(target, context);
  }
};

/**
 * Under an `upgraded-*` model, reclaims a file the control process cannot read (e.g. a snapshot
 * the VMM wrote as root) before it is moved; a readable file keeps its owner.
 */
export const reclaimIfUnreadable = async (
  target: string,
  context: ResourceContext,
): Promise<void> => {
  if (!(await canRead(target))) {
    await runUpgrade(target, context);
  }
};
