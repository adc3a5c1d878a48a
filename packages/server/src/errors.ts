// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `ServerError`. The SDK's own codes (`ERR_INVALID_INPUT`, `ERR_WRONG_STATE`,
 * `ERR_API_RESPONSE`, …) pass through the API unchanged; these are the server's own.
 */
export type ServerErrorCode =
  /** Bad input: a body, a parameter, a configuration key or a path outside the allowed folders. */
  | 'ERR_INVALID_INPUT'
  /** No VM of that id is held by this server. */
  | 'ERR_VM_NOT_FOUND'
  /** A VM of that id already exists on this server. */
  | 'ERR_VM_EXISTS'
  /** The server holds `limits.maxVms` VMs already. */
  | 'ERR_VM_LIMIT'
  /** The VM cannot do that now (a re-adopted VM's guest cannot be reached). */
  | 'ERR_WRONG_STATE'
  /** The request had no valid bearer token (TCP listeners). */
  | 'ERR_UNAUTHORIZED'
  /** No route has that method and path. */
  | 'ERR_ROUTE_NOT_FOUND'
  /** The server is stopping and takes no new calls. */
  | 'ERR_SERVER_STOPPING'
  /** The server failed in a way it has no code for (its log has the details). */
  | 'ERR_INTERNAL';

/** The error the server throws and answers with; `field` names the bad input when there is one. */
export class ServerError extends KindlingError<ServerErrorCode> {
  static {
    this.prototype.name = 'ServerError';
  }

  /** The path of the bad field (`body.source.configuration.bootSource`), when there is one. */
  readonly field: string | undefined;
  /** The HTTP status when it is not the code's usual one (413 for a body over its limit). */
  readonly status: number | undefined;

  constructor(
    code: ServerErrorCode,
    message: string,
    options?: ErrorOptions & { readonly field?: string; readonly status?: number },
  ) {
    super(code, message, options);
    this.field = options?.field;
    this.status = options?.status;
  }
}
