// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `HttpVsockError`. Codes are written once and never renamed; each is listed with
 * its meaning in the root README's table. The vsock errors of `@kindling/vm` (`ERR_VSOCK_CLOSED`,
 * `ERR_VSOCK_CONNECT`, `ERR_VSOCK_HANDSHAKE`, `ERR_WAIT_TIMEOUT`) and undici's own pass through.
 */
export type HttpVsockErrorCode =
  // An argument or option breaks a rule (the same code in every layer)
  | 'ERR_INVALID_INPUT'
  // A request to a VM that is not running (not started yet, or paused)
  | 'ERR_WRONG_STATE'
  // The VM's Firecracker process ended while a request was queued, sent or being answered
  | 'ERR_VM_ENDED';

/** The error `@kindling/ext-http-vsock` raises; `code` says what failed. */
export class HttpVsockError<
  Code extends HttpVsockErrorCode = HttpVsockErrorCode,
> extends KindlingError<Code> {
  static {
    this.prototype.name = 'HttpVsockError';
  }
}

/** The `code` of an error (a Kindling, undici or Node error), if it has one. */
export const errorCodeOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
