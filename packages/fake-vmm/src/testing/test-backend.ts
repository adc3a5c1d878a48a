// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { buildFakeEnv, type FakeSwitches } from './fake-env.js';
import { createFakeInstallation } from './fake-installation.js';
import { FakeVmmError } from '../firecracker/errors.js';

/**
 * The Firecracker that integration tests run: the fake, or a real one when `KINDLING_FIRECRACKER`
 * (and `KINDLING_JAILER`, `KINDLING_SNAPSHOT_EDITOR`, `KINDLING_KERNEL`) name its files.
 */
export type TestBackend =
  | { readonly kind: 'fake' }
  | {
      readonly kind: 'real';
      readonly firecrackerPath: string;
      /** The jailer, or `undefined` when `KINDLING_JAILER` is unset (jailed tests then skip). */
      readonly jailerPath: string | undefined;
      readonly snapshotEditorPath: string | undefined;
      /** A guest kernel ELF, or `undefined` when `KINDLING_KERNEL` is unset (boots then skip). */
      readonly kernelPath: string | undefined;
      readonly initrdPath: string | undefined;
    };

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

/** Reads the backend from `KINDLING_*` variables: real when `KINDLING_FIRECRACKER` is set. */
export const resolveTestBackend = (env: NodeJS.ProcessEnv = process.env): TestBackend => {
  const firecrackerPath = nonEmpty(env['KINDLING_FIRECRACKER']);
  if (firecrackerPath === undefined) {
    return { kind: 'fake' };
  }
  return {
    kind: 'real',
    firecrackerPath,
    jailerPath: nonEmpty(env['KINDLING_JAILER']),
    snapshotEditorPath: nonEmpty(env['KINDLING_SNAPSHOT_EDITOR']),
    kernelPath: nonEmpty(env['KINDLING_KERNEL']),
    initrdPath: nonEmpty(env['KINDLING_INITRD']),
  };
};

/** The backend of this test run, from this process's environment. */
export const testBackend: TestBackend = resolveTestBackend();

/** Whether this run drives a real Firecracker. */
export const isRealBackend = testBackend.kind === 'real';

/** Why a test that needs the fake (a fault switch, a guest that runs) is skipped on a real one. */
export const FAKE_ONLY =
  'fake only: a fault switch or a running guest, which a VMM-level real Firecracker cannot give';

/** The binaries a test installation points at. */
export interface TestInstallationPaths {
  readonly firecrackerPath: string;
  readonly jailerPath: string;
  readonly snapshotEditorPath: string;
}

/**
 * The installation of the backend: fake wrappers written into `dir` with these switches, or the
 * real binaries. A real binary has no fault switches: asking for any is a test that should have
 * been skipped, and throws `ERR_FAKE_INVALID_OPTIONS`.
 */
export const createTestInstallation = async (
  dir: string,
  switches: FakeSwitches = {},
): Promise<TestInstallationPaths> => {
  if (testBackend.kind === 'fake') {
    const fake = await createFakeInstallation(dir, { env: buildFakeEnv(switches) });
    const { firecrackerPath, jailerPath, snapshotEditorPath } = fake;
    return { firecrackerPath, jailerPath, snapshotEditorPath };
  }
  const asked = Object.entries(switches).filter(
    ([name, value]) => name !== 'cgroupRoot' && value !== undefined,
  );
  if (asked.length > 0) {
    throw new FakeVmmError(
      'ERR_FAKE_INVALID_OPTIONS',
      `switches: a real Firecracker has no fault switches, got ${asked.map(([name]) => name).join(', ')}: skip this test when isRealBackend`,
    );
  }
  // A missing jailer or snapshot-editor points at a path that does not exist: the tests needing
  // one are skipped, and one that is not fails on spawning it, saying which.
  return {
    firecrackerPath: testBackend.firecrackerPath,
    jailerPath: testBackend.jailerPath ?? '/nonexistent/KINDLING_JAILER-is-unset',
    snapshotEditorPath:
      testBackend.snapshotEditorPath ?? '/nonexistent/KINDLING_SNAPSHOT_EDITOR-is-unset',
  };
};
