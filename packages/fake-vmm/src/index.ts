// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Writes `firecracker`, `jailer` and `snapshot-editor` wrappers that run the fakes. */
export {
  createFakeInstallation,
  type FakeInstallation,
  type FakeInstallationOptions,
} from './testing/fake-installation.js';
/** Turns typed `KINDLING_FAKE_*` switches into validated environment variables. */
export { buildFakeEnv, type FakeSwitches } from './testing/fake-env.js';
/** Where, under its cgroup root, the fake jailer keeps the interface files of the cgroups it makes. */
export { FAKE_CGROUP_FILES_DIR } from './jailer/cgroups.js';
/**
 * The Firecracker integration tests run: the fake, or a real one named by `KINDLING_FIRECRACKER`,
 * `KINDLING_JAILER`, `KINDLING_SNAPSHOT_EDITOR`, `KINDLING_KERNEL` and `KINDLING_INITRD`.
 */
export {
  FAKE_ONLY,
  createTestInstallation,
  isRealBackend,
  resolveTestBackend,
  testBackend,
  type TestBackend,
  type TestInstallationPaths,
} from './testing/test-backend.js';
/** Starts a fake Firecracker (directly or jailed) and returns a handle that cleans up after it. */
export { startFakeFirecracker, type StartFakeFirecrackerOptions } from './testing/start-fake.js';
/** A running fake Firecracker: pid, socket, stdio, exit, journal, and a `stop()` that cleans up. */
export type { FakeExit, FakeFirecracker } from './testing/fake-handle.js';
/** The fake jailer's flags as typed options for `startFakeFirecracker`. */
export type { FakeJailerOptions } from './testing/jailer-args.js';
/** A minimal ELF kernel image both the fake and a real Firecracker load, and a writer for it. */
export { FAKE_KERNEL_IMAGE, writeFakeKernel } from './testing/fake-kernel.js';

/** Runs the fake Firecracker v1.16.1 in the current process; resolves with its exit code. */
export { runFirecracker, type RunFirecrackerOptions } from './firecracker/main.js';
/** The error the fake VMM's helpers throw, with its stable codes. */
export { FakeVmmError, type FakeVmmErrorCode } from './firecracker/errors.js';
/** The Firecracker version the fake emulates (`1.16.1`, as `GET /version` reports it). */
export { FIRECRACKER_VERSION } from './firecracker/version.js';
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
} from './faults/env.js';
/** The request journal: its record type and a reader of the NDJSON file. */
export {
  readJournal,
  type JournalFault,
  type JournalRecord,
  type ReadJournalOptions,
} from './faults/journal.js';
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
} from './snapshot/state-file.js';
/** The guest agent's gRPC service path (`/kindling.fake.GuestAgent`) on its vsock gRPC port. */
export { GRPC_SERVICE_PATH } from './guest/services/grpc-service.js';
