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
/** Starts a fake Firecracker (directly or jailed) and returns a handle that cleans up after it. */
export { startFakeFirecracker, type StartFakeFirecrackerOptions } from './testing/start-fake.js';
/** A running fake Firecracker: pid, socket, stdio, exit, journal, and a `stop()` that cleans up. */
export type { FakeExit, FakeFirecracker } from './testing/fake-handle.js';
/** The fake jailer's flags as typed options for `startFakeFirecracker`. */
export type { FakeJailerOptions } from './testing/jailer-args.js';
/**
 * The fake Firecracker's importable pieces, each with its own TSDoc: `runFirecracker`,
 * `FakeVmmError`, the `KINDLING_FAKE_*` switches (`FAKE_ENV`, `parseFakeEnv`, `formatFakeEnv`),
 * the request journal (`readJournal`, `JournalRecord`) and the snapshot state files.
 */
export {
  decodeStateFile,
  decodeStateFileVersion,
  DEFAULT_BOOT_MARKER,
  DEFAULT_VSOCK_SERVICES,
  encodeStateFile,
  FAKE_ENV,
  type FakeCtrlAltDel,
  type FakeEnvConfig,
  type FakeEnvOptions,
  type FakeExitOutcome,
  type FakeExitPoint,
  type FakeExitRule,
  type FakeResponseAction,
  type FakeResponseFault,
  FakeVmmError,
  type FakeVmmErrorCode,
  type FakeVsockServiceKind,
  FIRECRACKER_VERSION,
  formatFakeEnv,
  GRPC_SERVICE_PATH,
  type JournalFault,
  type JournalRecord,
  parseExitRules,
  parseFakeEnv,
  parseResponseFaults,
  parseVsockServices,
  readJournal,
  type ReadJournalOptions,
  readStateFile,
  readStateFileVersion,
  runFirecracker,
  type RunFirecrackerOptions,
  SNAPSHOT_DATA_VERSION,
  SNAPSHOT_MAGIC_X86_64,
  type SnapshotState,
  type SnapshotStateFile,
  type SnapshotVcpuState,
  type StateFileObject,
  type StateFileOptions,
  writeStateFile,
} from './firecracker/index.js';
