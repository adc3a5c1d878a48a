// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `ProcessError`. Codes are written once and never renamed; each is listed with its
 * meaning in the package README.
 */
export type ProcessErrorCode =
  // Options (the same code in every layer)
  | 'ERR_INVALID_INPUT'
  // Lifecycle
  | 'ERR_WRONG_STATE'
  | 'ERR_EXECUTOR'
  | 'ERR_STDIO_UNAVAILABLE'
  | 'ERR_STDIO_TAKEN'
  | 'ERR_KILL_FAILED'
  // Socket readiness
  | 'ERR_SOCKET_WAIT_TIMEOUT'
  | 'ERR_SOCKET_WAIT_EXITED'
  | 'ERR_SOCKET_LINK'
  // API client
  | 'ERR_API_RESPONSE'
  | 'ERR_API_REQUEST'
  | 'ERR_API_TIMEOUT'
  | 'ERR_API_CLOSED'
  | 'ERR_API_BODY_INVALID'
  | 'ERR_API_DISABLED'
  // Orphans
  | 'ERR_STATE_RECORD'
  | 'ERR_RECONCILE';

/** The error every `@kindling/process` function throws; `code` says what failed. */
export class ProcessError<
  Code extends ProcessErrorCode = ProcessErrorCode,
> extends KindlingError<Code> {
  static {
    this.prototype.name = 'ProcessError';
  }
}

/** The HTTP methods Firecracker's API server accepts (it answers anything else with a 400). */
export type ApiMethod = 'GET' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Which layer of Firecracker wrote an error body: the VMM's `{"fault_message": …}`, the HTTP
 * layer's `{"error": …}` (malformed request, payload too large, too many connections), or a body
 * of neither shape (the plain-text 500 of a failed socket read).
 */
export type ApiErrorSource = 'fault_message' | 'error' | 'unrecognised';

/** What an `ApiError` is built from. */
export interface ApiErrorDetails {
  readonly status: number;
  readonly method: ApiMethod;
  readonly path: string;
  readonly firecrackerMessage: string;
  readonly source: ApiErrorSource;
}

/** Firecracker answered a request with a status other than 200 or 204. */
export class ApiError extends ProcessError<'ERR_API_RESPONSE'> {
  static {
    this.prototype.name = 'ApiError';
  }

  /** The HTTP status: 400 for almost everything, 413 for a full MMDS, 503 for an 11th connection. */
  readonly status: number;
  readonly method: ApiMethod;
  readonly path: string;
  /** Firecracker's text, verbatim (the HTTP layer's keeps its raw newline). */
  readonly firecrackerMessage: string;
  readonly source: ApiErrorSource;

  constructor(details: ApiErrorDetails, options?: ErrorOptions) {
    super(
      'ERR_API_RESPONSE',
      `Firecracker rejected ${details.method} ${details.path} with ${details.status}: ${details.firecrackerMessage}`,
      options,
    );
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.firecrackerMessage = details.firecrackerMessage;
    this.source = details.source;
  }
}
