// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { FAKE_ENV } from '../faults/env-switches.js';
import { attachToCgroup, cgroupMembershipDirs } from './cgroups.js';
import type { JailerConfig } from './jailer-config.js';
import { jailerErrors } from './jailer-error.js';
import { createPidFile } from './jail-layout.js';
import { isRoot } from './privileges.js';

/**
 * Emulates `--daemonize` / `--new-pid-ns`, which fork before exec: starts the fake Firecracker as
 * a child (in its own session with stdio on /dev/null when daemonized, sharing the jailer's stdio
 * otherwise) that runs on after the jailer exits, writes its pid to the pid file and adds it to
 * the jailer's cgroups, as a forked child would inherit them. Resolves with the jailer's exit code.
 */
export const startDetached = async (
  config: JailerConfig,
  firecrackerBin: string,
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<number> => {
  const pidFile = await createPidFile(config);
  // The child starts with the jailer's ids, loads Node and the fake's code, then moves into the
  // jail and drops to uid:gid itself: as with the real jailer's copy of its exec file, nothing
  // outside the jail has to be reachable by uid:gid.
  const child = spawn(process.execPath, [firecrackerBin, ...argv], {
    detached: config.daemonize,
    stdio: config.daemonize ? 'ignore' : 'inherit',
    env: {
      ...env,
      [FAKE_ENV.chroot]: config.chrootDir,
      ...(isRoot() ? { [FAKE_ENV.jailIds]: `${config.uid}:${config.gid}` } : {}),
    },
    cwd: '/',
  });
  try {
    await once(child, 'spawn');
  } catch (error) {
    await pidFile.discard();
    throw jailerErrors.exec(error);
  }
  child.unref();
  const pid = child.pid ?? 0;
  await pidFile.write(pid);
  if (config.cgroups !== undefined) {
    for (const dir of cgroupMembershipDirs(config.cgroups)) {
      await attachToCgroup(config.cgroups, dir, pid);
    }
  }
  return 0;
};
