// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Who owns a VMM's files (`shared`, `upgraded-*`, `downgraded`), its schema and helpers. */
export {
  getDowngradeOwner,
  getProcessOwner,
  isUpgradedOwnership,
  ownershipModelSchema,
  parseOwnershipModel,
  type Owner,
  type OwnershipModel,
} from './ownership-model.js';
/** Gives a file or tree back to the control process with `chown -R` through an elevated spawner. */
export { upgradeOwner, type UpgradeOwnerOptions } from './upgrade-owner.js';
/** Hands a file or tree to the VMM's user with `lchown`, as the ownership model says. */
export { downgradeOwner, type DowngradeOwnerOptions } from './downgrade-owner.js';
