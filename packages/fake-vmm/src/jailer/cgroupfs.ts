// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { jailerErrors } from './jailer-error.js';

/** One cgroup or cgroup2 mount, as `/proc/self/mounts` lists it. */
interface CgroupMount {
  readonly mountPoint: string;
  readonly version: 1 | 2;
  readonly options: readonly string[];
}

// /proc/mounts escapes a space, tab, newline and backslash in a path as octal.
const unescapeMountPath = (text: string): string =>
  text.replaceAll(/\\([0-7]{3})/gu, (_, octal: string) =>
    String.fromCodePoint(Number.parseInt(octal, 8)),
  );

const readCgroupMounts = (): CgroupMount[] => {
  let text: string;
  try {
    text = readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line): CgroupMount[] => {
    const [, mountPoint, fsType, options] = line.split(' ');
    return mountPoint !== undefined && (fsType === 'cgroup' || fsType === 'cgroup2')
      ? [
          {
            mountPoint: unescapeMountPath(mountPoint),
            version: fsType === 'cgroup2' ? 2 : 1,
            options: (options ?? '').split(','),
          },
        ]
      : [];
  });
};

const isAtOrUnder = (folder: string, base: string): boolean =>
  folder === base || folder.startsWith(`${base}${path.sep}`);

// The innermost cgroup mount a folder is or lies under.
const mountOf = (folder: string, mounts: readonly CgroupMount[]): CgroupMount | undefined =>
  mounts
    .filter((mount) => isAtOrUnder(folder, mount.mountPoint))
    .toSorted((a, b) => b.mountPoint.length - a.mountPoint.length)[0];

/**
 * The host's cgroup mounts when the fake's cgroup root is a real cgroup file system (it is one,
 * lies under one, or holds them, as `/sys/fs/cgroup` does); `undefined` for a stand-in folder.
 */
export const findRealCgroupMounts = (root: string): readonly CgroupMount[] | undefined => {
  const mounts = readCgroupMounts();
  const resolved = path.resolve(root);
  const real = mounts.some(
    (mount) => isAtOrUnder(resolved, mount.mountPoint) || isAtOrUnder(mount.mountPoint, resolved),
  );
  return real ? mounts : undefined;
};

/**
 * Whether the real hierarchy for a controller is there, as the jailer finds it in `/proc/mounts`:
 * v1 `<root>/<controller>` on a v1 mount carrying the controller, v2 the root on a cgroup2
 * mount. `'missing'` when no mount of the version is there at all.
 */
export const checkRealHierarchy = (
  mounts: readonly CgroupMount[],
  root: string,
  version: 1 | 2,
  controller?: string,
): 'available' | 'unavailable' | 'missing' => {
  const resolved = path.resolve(root);
  const ofVersion = mounts.filter(
    (mount) =>
      mount.version === version &&
      (isAtOrUnder(resolved, mount.mountPoint) || isAtOrUnder(mount.mountPoint, resolved)),
  );
  if (ofVersion.length === 0) {
    return 'missing';
  }
  if (version === 2) {
    return mountOf(resolved, mounts)?.version === 2 ? 'available' : 'missing';
  }
  if (controller === undefined) {
    return 'available';
  }
  const mount = mountOf(path.join(resolved, controller), mounts);
  return mount?.version === 1 && mount.options.includes(controller) ? 'available' : 'unavailable';
};

// Upstream's writeln_special: the value and a newline, Write(path) on failure.
const writeLine = async (file: string, value: string): Promise<void> => {
  try {
    await writeFile(file, `${value}\n`);
  } catch (error) {
    throw jailerErrors.write(file, error);
  }
};

// Upstream's readln_special: the whole file without its last character (the newline).
const readLine = async (file: string): Promise<string> => {
  try {
    return (await readFile(file, 'utf8')).slice(0, -1);
  } catch (error) {
    throw jailerErrors.readToString(file, error);
  }
};

/** Makes a real cgroup folder (and its parents), as upstream's `create_dir_all`. */
export const createRealCgroup = async (location: string): Promise<void> => {
  try {
    await mkdir(location, { recursive: true });
  } catch (error) {
    throw jailerErrors.createDir(location, error);
  }
};

/**
 * Upstream's `inherit_from_parent`: copies the parent's line of `file` into the new cgroup
 * (filling an empty parent from its own parent first, up to `depth` levels), so that a v1 cpuset
 * has cpus and mems to narrow.
 */
export const inheritFromRealParent = async (
  location: string,
  file: string,
  depth: number,
): Promise<void> => {
  const parentFile = path.join(path.dirname(location), file);
  let line = await readLine(parentFile);
  if (line === '' && depth > 0) {
    try {
      await inheritFromRealParent(path.dirname(location), file, depth - 1);
    } catch {
      // Another jailer may have filled it meanwhile: only whether it is filled now matters.
    }
    line = await readLine(parentFile);
  }
  if (line === '') {
    throw jailerErrors.cgroupInheritFromParent(location, file);
  }
  await writeLine(path.join(location, file), line);
};

/** Upstream's `write_all_subtree_control`: `+<controller>` from the top down to `folder`. */
export const enableRealController = async (folder: string, controller: string): Promise<void> => {
  const file = path.join(folder, 'cgroup.subtree_control');
  if (!existsSync(file)) {
    return;
  }
  const parent = path.dirname(folder);
  if (parent !== folder) {
    await enableRealController(parent, controller);
  }
  await writeLine(file, `+${controller}`);
};

/** Writes one value into a real cgroup's interface file. */
export const writeRealCgroupFile = (location: string, file: string, value: string): Promise<void> =>
  writeLine(path.join(location, file), value);

/**
 * Moves a process into a real cgroup: v1 its pid into `tasks`, v2 into `cgroup.procs`, as
 * upstream does (with its errors). Upstream then runs one thread, just before exec; the fake is a
 * Node process whose threads already run, and v1's `tasks` moves only one: `cgroup.procs` then
 * moves the others, the state upstream leaves.
 */
export const attachToRealCgroup = async (
  location: string,
  version: 1 | 2,
  pid: number,
): Promise<void> => {
  if (version === 1) {
    await writeLine(path.join(location, 'tasks'), String(pid));
  }
  await writeLine(path.join(location, 'cgroup.procs'), String(pid));
};
