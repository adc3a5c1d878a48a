// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { JailerArguments } from '@kindling/vmm-core';
import { resolveCgroupDirs } from './jail-cgroups.js';

/** Where the jailer puts its chroot when `--chroot-base-dir` is not given. */
export const DEFAULT_CHROOT_BASE_DIR = '/srv/jailer';

/** The folders and files of one jail on the host. */
export interface JailPaths {
  /** The exec file's name after canonicalisation: the jail's folder and the copied binary's name. */
  readonly execName: string;
  /** `<base>/<exec name>/<id>`: everything of this jail; cleanup removes it. */
  readonly jailDir: string;
  /** `<jailDir>/root`: the chroot, where Firecracker's `/` is. */
  readonly rootDir: string;
  /** `<root>/<exec name>.pid`: where the jailer writes Firecracker's pid. */
  readonly pidFile: string;
  /** The cgroup folders the jailer makes for this VM (`<hierarchy>/<parent>/<id>`); cleanup removes them. */
  readonly cgroupDirs: readonly string[];
}

// The jailer canonicalises --exec-file, so a symlink's target names the jail; a missing file
// keeps its own name (the jailer then fails on it, with its own message).
const resolveCanonicalName = (execFile: string): string => {
  let resolved: string;
  try {
    resolved = realpathSync.native(execFile);
  } catch {
    resolved = path.resolve(execFile);
  }
  return path.basename(resolved);
};

/**
 * Works out where the jailer lays out the jail for these arguments, as the real jailer does;
 * `cgroupRoot` stands for the cgroup mounts (see `resolveCgroupDirs`).
 */
export const resolveJailPaths = (jailer: JailerArguments, cgroupRoot?: string): JailPaths => {
  const { options } = jailer;
  const execName = resolveCanonicalName(options.execFile);
  const jailDir = path.join(
    path.resolve(options.chrootBaseDir ?? DEFAULT_CHROOT_BASE_DIR),
    execName,
    options.id,
  );
  const rootDir = path.join(jailDir, 'root');
  return {
    execName,
    jailDir,
    rootDir,
    pidFile: path.join(rootDir, `${execName}.pid`),
    cgroupDirs: resolveCgroupDirs(jailer, execName, cgroupRoot),
  };
};
