// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** The typed client of a Kindling server: one method per route, bounded and cancellable. */
export { KindlingClient } from './kindling-client.js';
/** What the Firecracker passthrough takes and answers. */
export type { FirecrackerAnswer, FirecrackerMethod } from './call-input.js';
/** What the guest calls take and answer: archives, guest HTTP. */
export type {
  ArchiveSource,
  ArchiveStream,
  GuestHttpAnswer,
  GuestHttpMethod,
} from './guest-calls.js';
/** What the client and each call take. */
export {
  DEFAULT_CLIENT_TIMEOUT_MS,
  type CallOptions,
  type EventsOptions,
  type KindlingClientOptions,
  type ResolvedKindlingClientOptions,
} from './client-options.js';
/** The error every call rejects with: the client's own codes, or the server's passed through. */
export { ClientError, type ClientErrorCode, type ServerErrorDetails } from './errors.js';
/** Whether a value is a Kindling error (a `ClientError` among them): switch on its `code`. */
export { isKindlingError } from '@kindling/vmm-core';
/** A subscription to the server's VM events, as an async iterable. */
export type { VmEventStream } from './event-stream.js';
/** Where a server listens, from `--server`: a Unix socket path or an http(s) URL. */
export { parseServerTarget, type ServerTarget } from './server-target.js';
/** Every route the client calls: method, OpenAPI path, body and answer schemas. */
export { ROUTES, type Route, type RouteMethod, type RouteName } from './routes.js';
/** The contract's shapes, as zod schemas with their TypeScript types. */
export {
  healthSchema,
  vmExitSchema,
  vmInfoSchema,
  vmListSchema,
  vmSourceKindSchema,
  vmStateSchema,
  type Health,
  type VmExit,
  type VmInfo,
  type VmSourceKind,
  type VmState,
} from './contract/vm-info.js';
export {
  createSnapshotRequestSchema,
  createVmRequestSchema,
  executorRequestSchema,
  snapshotInfoSchema,
  stopVmRequestSchema,
  vmConfigurationRequestSchema,
  vmSourceRequestSchema,
  type CreateSnapshotRequest,
  type CreateVmRequest,
  type ExecutorRequest,
  type SnapshotInfo,
  type StopVmRequest,
  type VmConfigurationRequest,
  type VmSourceRequest,
} from './contract/vm-requests.js';
export {
  execRequestSchema,
  execResultSchema,
  type ExecRequest,
  type ExecResult,
} from './contract/guest-exec.js';
export {
  guestFileListSchema,
  guestFileStatSchema,
  guestPathQuerySchema,
  transferResultSchema,
  type GuestFileList,
  type GuestFileStat,
  type TransferResult,
} from './contract/guest-files.js';
export { vmEventSchema, vmEventStateSchema, type VmEvent } from './contract/vm-event.js';
export { errorBodySchema, type ErrorBody } from './contract/error-body.js';
export { labelsSchema, vmIdSchema, type Labels, type VmId } from './contract/vm-id.js';
/** An answer schema's loose copy, as the client parses answers: a newer server's extra fields kept. */
export { looseAnswer } from './contract/loose-answer.js';
/** Parses a `text/event-stream` body into its messages. */
export { parseServerSentEvents, type ServerSentMessage } from './sse-parser.js';
