// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** One Firecracker process's lifecycle: prepare, invoke, API, Ctrl+Alt+Del, kill, wait, cleanup. */
export {
  VmmProcess,
  type VmmProcessInvokeOptions,
  type VmmProcessOptions,
  type VmmProcessStepOptions,
  type VmmProcessWaitOptions,
} from './vmm-process.js';
/** What `VmmProcess.readResourceUsage()` takes. */
export type { ResourceUsageReadOptions } from './resource-usage-read.js';
/** The states of a `VmmProcess`: `awaiting-prepare → awaiting-start → started → exited | crashed`. */
export type { VmmProcessState } from './state.js';
/** The client of Firecracker's API over its Unix socket, its options and its answers. */
export {
  ApiClient,
  DEFAULT_API_TIMEOUT_MS,
  type ApiClientOptions,
  type ApiRequestOptions,
  type ApiResponse,
  type ResponseSchema,
} from './api-client.js';
/** Waits, event-driven, until a process accepts connections on its API socket. */
export {
  DEFAULT_SOCKET_WAIT_TIMEOUT_MS,
  waitForSocket,
  type WaitForSocketOptions,
} from './socket-wait.js';
/** How a process ended as far as it is known, as `waitForSocket` takes it. */
export type { ExitDescription } from './exit-description.js';
/** The errors of this package: `ProcessError` and its codes, and `ApiError` for Firecracker's refusals. */
export {
  ApiError,
  ProcessError,
  type ApiErrorDetails,
  type ApiErrorSource,
  type ApiMethod,
  type ProcessErrorCode,
} from './errors.js';
/** Finds and removes what Node processes that died without cleaning up left behind. */
export {
  reconcile,
  type ReconcileOptions,
  type ReconcileReport,
  type ReconciledProcess,
} from './reconcile.js';
/** Where an extension plugs in a synchronous sweep of what it made, run as Node goes down. */
export { onHostExit } from './orphan-guard.js';
/** The state folder `VmmProcess` records running processes in, and what a record holds. */
export { defaultStateDir, type ProcessRecord } from './process-records.js';
