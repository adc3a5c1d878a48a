// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `NetworkError`. Codes are written once and never renamed; each is listed with its
 * meaning in the root README's error table.
 */
export type NetworkErrorCode =
  // Validation: nothing was allocated, created or recorded (the same code in every layer)
  | 'ERR_INVALID_INPUT'
  // The VM's profile allows no network ('none'), or no egress (anything but 'egress'); nothing
  // was allocated, created or recorded
  | 'ERR_PROFILE_VIOLATION'
  // Every /30 of the pool is taken (by live VMs, or by records `reconcileNetwork()` has not cleared)
  | 'ERR_POOL_FULL'
  // `ip`, `nft` or `sysctl` failed: its command line and stderr are in the message
  | 'ERR_NETWORK_COMMAND'
  // A network record could not be written, read or removed, or the state folder is not private
  | 'ERR_STATE_RECORD'
  // `reconcileNetwork()` could not remove some leftovers (each failure is in the cause)
  | 'ERR_RECONCILE'
  // The lock guarding the host's ip_forward value was not free within the timeout
  | 'ERR_WAIT_TIMEOUT';

/** The error every `@kindling/ext-network` call throws; `code` says what failed. */
export class NetworkError<
  Code extends NetworkErrorCode = NetworkErrorCode,
> extends KindlingError<Code> {
  static {
    this.prototype.name = 'NetworkError';
  }
}
