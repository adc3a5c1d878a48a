// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `GrpcVsockError`. Codes are written once and never renamed; each is listed with its
 * meaning in the root README. A call's own failures are gRPC statuses (`ConnectError` with a
 * `Code`), whose `cause` is the Kindling error behind them when there is one.
 */
export type GrpcVsockErrorCode =
  // Validation: nothing was connected or sent (the same code in every layer)
  'ERR_INVALID_INPUT';

/** The error `@kindling/ext-grpc-vsock` throws for its own input; `code` says what failed. */
export class GrpcVsockError<
  Code extends GrpcVsockErrorCode = GrpcVsockErrorCode,
> extends KindlingError<Code> {
  static {
    this.prototype.name = 'GrpcVsockError';
  }
}
