// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** A Connect gRPC transport to a guest port over vsock, for `createClient(service, transport)`. */
export { createGrpcVsockTransport, type GrpcVsockTransport } from './grpc-vsock-transport.js';
/** What `createGrpcVsockTransport()` takes. */
export type { GrpcVsockTransportOptions } from './transport-options.js';
/** The error this package throws for bad input, with a stable `code` from `GrpcVsockErrorCode`. */
export { GrpcVsockError, type GrpcVsockErrorCode } from './errors.js';
