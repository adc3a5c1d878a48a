// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFileSync } from 'node:fs';
import path from 'node:path';

/** One cgroup or cgroup2 file system mounted on the host, as `/proc/self/mounts` lists it. */
export interface CgroupMount {
  readonly mountPoint: string;
  readonly fsType: 'cgroup' | 'cgroup2';
  /** The mount options; for v1 they name the controllers of the hierarchy (`cpu`, `memory`). */
  readonly options: readonly string[];
}

// /proc/mounts escapes a space, tab, newline and backslash in a path as octal.
const unescapeMountPath = (text: string): string =>
  text.replaceAll(/\\([0-7]{3})/gu, (_, octal: string) =>
    String.fromCodePoint(Number.parseInt(octal, 8)),
  );

/** The cgroup mounts of this process's mount namespace; none when `/proc` cannot be read. */
export const readCgroupMounts = (mountsFile = '/proc/self/mounts'): CgroupMount[] => {
  let text: string;
  try {
    text = readFileSync(mountsFile, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    const [, mountPoint, fsType, options] = line.split(' ');
    return mountPoint !== undefined && (fsType === 'cgroup' || fsType === 'cgroup2')
      ? [{ mountPoint: unescapeMountPath(mountPoint), fsType, options: (options ?? '').split(',') }]
      : [];
  });
};

/** The cgroup mount a folder is, or lies under (the innermost one); `undefined` for none. */
export const findCgroupMountOf = (
  folder: string,
  mounts: readonly CgroupMount[],
): CgroupMount | undefined => {
  const resolved = path.resolve(folder);
  let found: CgroupMount | undefined;
  for (const mount of mounts) {
    const inside =
      resolved === mount.mountPoint || resolved.startsWith(`${mount.mountPoint}${path.sep}`);
    if (inside && (found === undefined || mount.mountPoint.length > found.mountPoint.length)) {
      found = mount;
    }
  }
  return found;
};

/** Whether a v1 mount is a hierarchy of a controller (not a named one such as `name=systemd`). */
export const mountsController = (mount: CgroupMount, controller: string): boolean =>
  mount.fsType === 'cgroup' && mount.options.includes(controller);

// The options of a v1 mount that are not controllers.
const NON_CONTROLLER_OPTIONS = new Set([
  'rw',
  'ro',
  'nosuid',
  'nodev',
  'noexec',
  'relatime',
  'noatime',
  'strictatime',
  'nodiratime',
  'clone_children',
  'noprefix',
  'xattr',
  'cpuset_v2_mode',
]);

/** Whether a v1 mount carries at least one controller (`name=systemd` alone carries none). */
export const hasController = (mount: CgroupMount): boolean =>
  mount.fsType === 'cgroup' &&
  mount.options.some((option) => !NON_CONTROLLER_OPTIONS.has(option) && !option.includes('='));
