// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Starts a server: its VMs behind one REST API on a Unix socket or TCP. */
export { startServer, type KindlingServer } from './kindling-server.js';
/** Runs a server until SIGTERM or SIGINT, then stops it gracefully (`kindling serve`). */
export { serveUntilSignal, type ServeUntilSignalOptions } from './serve-until-signal.js';
/** The server's settings: a config file's schema, its parsing and loading. */
export {
  loadServerConfig,
  parseServerConfig,
  serverConfigSchema,
  type ResolvedServerConfig,
  type ServerConfigInput,
} from './server-config.js';
// The route schemas the API validates with and its OpenAPI document is generated from are
// `@kindling/client`'s (vmInfoSchema, createVmRequestSchema, …): import them from there.
/** What `health.recovered` reports. */
export type { RecoveryReport } from './vm-registry.js';
/** The error the server throws and answers with, and its codes. */
export { ServerError, type ServerErrorCode } from './errors.js';
