// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `PoolError`. Codes are written once and never renamed; each is listed with its
 * meaning in the package README.
 */
export type PoolErrorCode =
  // Validation: nothing was started (the same code in every layer)
  | 'ERR_INVALID_INPUT'
  // `acquire()` found no VM ready within its `timeoutMs`
  | 'ERR_WAIT_TIMEOUT'
  // A call the pool's state does not allow: `acquire()` once the pool drains
  | 'ERR_WRONG_STATE'
  // A refill was not started: the host's free memory is below the snapshot's memory plus the margin
  | 'ERR_POOL_MEMORY_LOW';

/** The error every `@kindling/ext-pool` call throws; `code` says what failed. */
export class PoolError<Code extends PoolErrorCode = PoolErrorCode> extends KindlingError<Code> {
  static {
    this.prototype.name = 'PoolError';
  }
}
