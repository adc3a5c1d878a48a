// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import path from 'node:path';
import { findCgroupMountOf, hasController, readCgroupMounts } from './cgroup-mounts.js';
import type { CgroupVersion } from './resource-limits.js';

/**
 * The cgroup version the host's controllers are mounted with, from `/proc/self/mounts`: 1 when
 * any v1 hierarchy carries a controller (a hybrid host, with an empty cgroup2 beside, counts as
 * v1, as the jailer's default does), otherwise 2 when cgroup2 is mounted, otherwise `undefined`.
 *
 * With `cgroupRoot` (the folder standing for the mounts, see `JailedExecutorOptions.cgroupRoot`):
 * the version of the cgroup file system it is or lies under, 1 when it holds v1 hierarchies
 * (`/sys/fs/cgroup` on a v1 host), and for a plain folder (a fake's stand-in) 2 when it has a
 * `cgroup.controllers` file, else 1.
 */
export const detectCgroupVersion = (cgroupRoot?: string): CgroupVersion | undefined => {
  const mounts = readCgroupMounts();
  if (cgroupRoot === undefined) {
    if (mounts.some(hasController)) {
      return 1;
    }
    return mounts.some((mount) => mount.fsType === 'cgroup2') ? 2 : undefined;
  }
  const own = findCgroupMountOf(cgroupRoot, mounts);
  if (own !== undefined) {
    return own.fsType === 'cgroup2' ? 2 : 1;
  }
  const root = path.resolve(cgroupRoot);
  const below = mounts.filter((mount) => path.dirname(mount.mountPoint) === root);
  if (below.some(hasController)) {
    return 1;
  }
  if (below.some((mount) => mount.fsType === 'cgroup2')) {
    return 2;
  }
  return existsSync(path.join(root, 'cgroup.controllers')) ? 2 : 1;
};
