// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

export {
  FIRECRACKER_FLAGS,
  JAILER_FLAGS,
  findFlag,
  type FlagKind,
  type FlagSpec,
  type FlagValueType,
} from './arguments/flags.js';
export { VmmCoreError, type VmmCoreErrorCode } from './errors.js';
export { parseWithSchema } from './validation.js';
