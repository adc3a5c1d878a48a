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
/**
 * The fake Firecracker's importable pieces, each with its own TSDoc: `runFirecracker`,
 * `FakeVmmError`, the `KINDLING_FAKE_*` switches (`FAKE_ENV`, `parseFakeEnv`, `formatFakeEnv`),
 * the request journal (`readJournal`, `JournalRecord`) and the snapshot state files.
 */
export * from './firecracker/index.js';
