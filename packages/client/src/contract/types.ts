// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The contract's types in one place, for the client's methods (the index exports each from its file).
export type { ExecRequest, ExecResult } from './guest-exec.js';
export type { GuestFileList, GuestFileStat, TransferResult } from './guest-files.js';
export type { Health, VmInfo } from './vm-info.js';
export type {
  CreateSnapshotRequest,
  CreateVmRequest,
  SnapshotInfo,
  StopVmRequest,
} from './vm-requests.js';
