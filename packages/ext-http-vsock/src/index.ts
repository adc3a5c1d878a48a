// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** An undici dispatcher whose keep-alive connections go to one guest vsock port of a `Vm`. */
export { VsockDispatcher } from './vsock-dispatcher.js';
/** What a `VsockDispatcher` takes, and the options after defaults. */
export type {
  ResolvedVsockDispatcherOptions,
  VsockDispatcherOptions,
} from './dispatcher-options.js';
/** `fetch` to a guest's HTTP service over vsock, with one shared pool per VM and port. */
export { vsockFetch, type VsockFetchInit } from './vsock-fetch.js';
/** What HTTP over vsock uses of a `Vm`. */
export type { VsockVm } from './vsock-vm.js';
/** The error this package raises, with a stable `code` from `HttpVsockErrorCode`. */
export { HttpVsockError, type HttpVsockErrorCode } from './errors.js';
