// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { SpawnError } from './spawn-error.js';

/** Creates the `ERR_INVALID_INPUT` error for one field: `field: rule, got value`. */
export const createInvalidInputError = (field: string, rule: string, got: string): SpawnError =>
  new SpawnError('ERR_INVALID_INPUT', `${field}: ${rule}, got ${got}`);
