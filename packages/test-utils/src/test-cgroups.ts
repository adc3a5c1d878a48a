// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import path from 'node:path';
import { testBackend } from '@kindling/fake-vmm';

/** A cgroup setting a jailed test VM gets: `--cgroup-version` and one `--cgroup`. */
export interface TestCgroups {
  readonly cgroupVersion: 1 | 2;
  readonly cgroups: Readonly<Record<string, string>>;
}

// A real jailer writes to the host's hierarchies: v2 where /sys/fs/cgroup is one, else the v1
// `pids` hierarchy (a hybrid host's cgroup2 mount has no controllers to give).
const isV2Host = (): boolean => existsSync('/sys/fs/cgroup/cgroup.controllers');

/**
 * The cgroup every jailed test VM gets, so that "nothing left" covers cgroup folders: v2 with
 * `pids.max` on the fake (and on a v2 host), v1 `pids.max` on a real v1 or hybrid host.
 */
export const testCgroups = (): TestCgroups => ({
  cgroupVersion: testBackend.kind === 'fake' || isV2Host() ? 2 : 1,
  cgroups: { 'pids.max': '1024' },
});

/**
 * The `cgroupRoot` a `JailedExecutor` of a test folder needs: the fake jailer's root,
 * `<dir>/cgroup`; none for a real jailer, which uses the host's mounts.
 */
export const testCgroupRoot = (dir: string): { cgroupRoot?: string } =>
  testBackend.kind === 'real' ? {} : { cgroupRoot: path.join(dir, 'cgroup') };
