// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `VmmCoreError`, grouped by the part of vmm-core that raises them. Codes are
 * written once and never renamed; each is listed with its meaning in the package README.
 */
export type VmmCoreErrorCode =
  // Validation (ids, arguments, API models, configuration documents)
  | 'ERR_INVALID_INPUT'
  // Installation
  | 'ERR_BINARY_MISSING'
  | 'ERR_BINARY_NOT_EXECUTABLE'
  | 'ERR_BINARY_WRONG'
  | 'ERR_BINARY_VERSION'
  | 'ERR_DOWNLOAD_FAILED'
  | 'ERR_DOWNLOAD_CHECKSUM'
  // Ownership
  | 'ERR_OWNERSHIP_CHANGE'
  // Resources
  | 'ERR_RESOURCE_STATE'
  | 'ERR_RESOURCE_CREATE'
  | 'ERR_RESOURCE_MOVE'
  | 'ERR_RESOURCE_DISPOSE';

/** The error every vmm-core function throws; `code` says which rule or operation failed. */
export class VmmCoreError extends KindlingError<VmmCoreErrorCode> {
  static {
    this.prototype.name = 'VmmCoreError';
  }
}
