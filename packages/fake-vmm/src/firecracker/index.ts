// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Runs the fake Firecracker v1.16.1 in the current process; resolves with its exit code. */
export { runFirecracker, type RunFirecrackerOptions } from './main.js';
/** The error the fake VMM's helpers throw, with its stable codes. */
export { FakeVmmError, type FakeVmmErrorCode } from './errors.js';
/** The Firecracker version the fake emulates (`1.16.1`, as `GET /version` reports it). */
export { FIRECRACKER_VERSION } from './version.js';
/**
 * The `KINDLING_FAKE_*` switches: their names, a parser (with defaults) and a formatter from
 * typed values, plus the types of each switch.
 */
export {
  DEFAULT_BOOT_MARKER,
  DEFAULT_VSOCK_SERVICES,
  FAKE_ENV,
  formatFakeEnv,
  parseExitRules,
  parseFakeEnv,
  parseResponseFaults,
  parseVsockServices,
  type FakeCtrlAltDel,
  type FakeEnvConfig,
  type FakeEnvOptions,
  type FakeExitOutcome,
  type FakeExitPoint,
  type FakeExitRule,
  type FakeResponseAction,
  type FakeResponseFault,
  type FakeVsockServiceKind,
} from '../faults/env.js';
/** The request journal: its record type and a reader of the NDJSON file. */
export {
  readJournal,
  type JournalFault,
  type JournalRecord,
  type ReadJournalOptions,
} from '../faults/journal.js';
/** The fake's snapshot state-file format: version, reader and writer (used by the snapshot-editor). */
export {
  decodeStateFile,
  decodeStateFileVersion,
  encodeStateFile,
  readStateFile,
  readStateFileVersion,
  SNAPSHOT_DATA_VERSION,
  SNAPSHOT_MAGIC_X86_64,
  writeStateFile,
  type SnapshotState,
  type SnapshotStateFile,
  type SnapshotVcpuState,
  type StateFileObject,
  type StateFileOptions,
} from '../snapshot/state-file.js';
/** The guest agent's gRPC service path (`/kindling.fake.GuestAgent`) on its vsock gRPC port. */
export { GRPC_SERVICE_PATH } from '../guest/services/grpc-service.js';
