// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/vmm-core';

/**
 * The codes the client raises itself. Codes are written once and never renamed; each is listed
 * with its meaning in the root README's error table. The server's own codes (`ERR_VM_NOT_FOUND`,
 * `ERR_INVALID_STATE`, …) reach the caller unchanged, as the code of a `ClientError`.
 */
export type ClientErrorCode =
  // A bad client option or argument (an empty VM id, a server that is neither a path nor a URL)
  | 'ERR_INVALID_INPUT'
  // The server could not be reached: no socket at the path, connection refused, TLS failed
  | 'ERR_SERVER_UNREACHABLE'
  // The server did not answer within the call's timeoutMs
  | 'ERR_SERVER_TIMEOUT'
  // The server answered what the contract does not allow (a body that is not the route's shape)
  | 'ERR_SERVER_RESPONSE';

/** What an error answer of the server said besides its code. */
export interface ServerErrorDetails {
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The request field at fault, when the server named one (`body.source.path`). */
  readonly field?: string | undefined;
}

/**
 * The error every client call rejects with: one of `ClientErrorCode`, or the code the server
 * answered with (then `status` and `field` say more). An aborted `signal` rejects with its reason.
 */
export class ClientError extends KindlingError {
  static {
    this.prototype.name = 'ClientError';
  }

  /** The HTTP status of the server's answer; undefined when none came. */
  readonly status: number | undefined;
  /** The request field the server named as at fault. */
  readonly field: string | undefined;

  constructor(
    // One of ClientErrorCode, or the code of the server's error answer.
    code: string,
    message: string,
    options?: ErrorOptions & Partial<ServerErrorDetails>,
  ) {
    super(code, message, options);
    this.status = options?.status;
    this.field = options?.field;
  }
}
