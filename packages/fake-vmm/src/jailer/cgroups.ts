// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  attachToRealCgroup,
  checkRealHierarchy,
  createRealCgroup,
  enableRealController,
  findRealCgroupMounts,
  inheritFromRealParent,
  writeRealCgroupFile,
} from './cgroupfs.js';
import { jailerErrors } from './jailer-error.js';
import { hasInvalidComponent } from './path-components.js';

/** One `<file>=<value>` of `--cgroup`. */
export interface CgroupProperty {
  readonly file: string;
  readonly value: string;
}

/** One cgroup the jailer creates (`<hierarchy>/<parent_cgroup>/<id>`) and what it writes in it. */
export interface PlannedCgroup {
  /** The v1 controller whose hierarchy it lives in; `undefined` for the v2 unified hierarchy. */
  readonly controller: string | undefined;
  readonly location: string;
  readonly properties: readonly CgroupProperty[];
}

/** Everything the jailer will do to cgroups, decided before anything is written. */
export interface CgroupPlan {
  readonly version: 1 | 2;
  /** The root standing in for the cgroup mount points. */
  readonly root: string;
  readonly groups: readonly PlannedCgroup[];
  /** v2 with no `--cgroup`: the existing parent cgroup the process moves into. */
  readonly moveInto: string | undefined;
  /**
   * Whether the root is a real cgroup file system (per `/proc/self/mounts`): the cgroups are then
   * made in place, as the jailer makes them, instead of with a `.fake-cgroupfs` side folder.
   */
  readonly real: boolean;
  /** The number of components of `--parent-cgroup`: how far up v1 values are inherited. */
  readonly parentDepth: number;
}

/**
 * Where the fake keeps the interface files (written values, `tasks`, `cgroup.procs`) of the
 * cgroups it makes, under the root: a real cgroupfs lists them in the cgroup's folder, yet
 * rmdir(2) does not count them, so the folder is removed as if empty. Plain files in the folder
 * would make rmdir fail with ENOTEMPTY; kept here, the fake's folder is empty as rmdir sees it.
 */
export const FAKE_CGROUP_FILES_DIR = '.fake-cgroupfs';

/** Where the fake keeps `file` of the cgroup it made at `location` (under `root`). */
export const fakeCgroupFile = (root: string, location: string, file: string): string =>
  path.join(root, FAKE_CGROUP_FILES_DIR, path.relative(root, location), file);

// The controllers a cgroup v1 host mounts; another name is "unavailable", as on a real host.
const V1_CONTROLLERS = new Set([
  'blkio',
  'cpu',
  'cpuacct',
  'cpuset',
  'devices',
  'freezer',
  'hugetlb',
  'memory',
  'net_cls',
  'net_prio',
  'perf_event',
  'pids',
  'rdma',
  'misc',
]);

// What a v2 root offers when the fake root has no `cgroup.controllers` of its own.
const V2_DEFAULT_CONTROLLERS = ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc'];

const controllerOf = (file: string): string => {
  const parts = file.split('.');
  if (parts.length < 2) {
    throw jailerErrors.cgroupInvalidFile(file);
  }
  return parts[0] ?? '';
};

const availableV2Controllers = (root: string): ReadonlySet<string> => {
  const listFile = path.join(root, 'cgroup.controllers');
  const listed = existsSync(listFile)
    ? readFileSync(listFile, 'utf8').split(/\s+/u).filter(Boolean)
    : V2_DEFAULT_CONTROLLERS;
  return new Set(listed);
};

// v2: listed in the root's cgroup.controllers; v1: mounted (for real), or a name v1 hosts mount.
const isControllerAvailable = (
  controller: string,
  v2Controllers: ReadonlySet<string> | undefined,
  realMounts: Parameters<typeof checkRealHierarchy>[0] | undefined,
  root: string,
): boolean => {
  if (v2Controllers !== undefined) {
    return v2Controllers.has(controller);
  }
  if (realMounts === undefined) {
    return V1_CONTROLLERS.has(controller);
  }
  return checkRealHierarchy(realMounts, root, 1, controller) === 'available';
};

const parseProperty = (arg: string): CgroupProperty => {
  const parts = arg.split('=');
  const [file, value] = parts;
  if (parts.length !== 2 || file === undefined || value === undefined || value === '') {
    throw jailerErrors.cgroupFormat(arg);
  }
  if (hasInvalidComponent(file)) {
    throw jailerErrors.cgroupInvalidFile(arg);
  }
  return { file, value };
};

/**
 * Validates `--cgroup` values and places each cgroup as the jailer does: v1 in
 * `<root>/<controller>/<parent>/<id>`, v2 in `<root>/<parent>/<id>`. `root` stands in for the host's
 * cgroup mounts, so a fake never touches `/sys/fs/cgroup` unless told to.
 */
export const planCgroups = (options: {
  readonly root: string;
  readonly version: number;
  readonly args?: readonly string[] | undefined;
  readonly id: string;
  readonly parentCgroup: string;
}): CgroupPlan | undefined => {
  const { root, version, args, id, parentCgroup } = options;
  const needsHierarchy = args !== undefined || version === 2;
  if (!needsHierarchy) {
    return undefined;
  }
  const realMounts = findRealCgroupMounts(root);
  if (
    (version !== 1 && version !== 2) ||
    (realMounts !== undefined && checkRealHierarchy(realMounts, root, version) === 'missing')
  ) {
    // Upstream finds no mount point of that version before it ever checks the number.
    throw jailerErrors.cgroupHierarchyMissing('No hierarchy found for this cgroup version.');
  }
  const common = {
    version,
    root,
    real: realMounts !== undefined,
    parentDepth: parentCgroup.split('/').filter(Boolean).length,
  } as const;
  if (args === undefined) {
    const parent = path.join(root, parentCgroup);
    return { ...common, groups: [], moveInto: existsSync(parent) ? parent : undefined };
  }
  const groups = new Map<
    string,
    { controller: string | undefined; properties: CgroupProperty[] }
  >();
  const v2Controllers = version === 2 ? availableV2Controllers(root) : undefined;
  for (const arg of args) {
    const property = parseProperty(arg);
    const controller = controllerOf(property.file);
    const available = isControllerAvailable(controller, v2Controllers, realMounts, root);
    if (!available) {
      throw jailerErrors.cgroupControllerUnavailable(controller);
    }
    const location =
      version === 1
        ? path.join(root, controller, parentCgroup, id)
        : path.join(root, parentCgroup, id);
    const group = groups.get(location) ?? {
      controller: version === 1 ? controller : undefined,
      properties: [],
    };
    group.properties.push(property);
    groups.set(location, group);
  }
  const planned: PlannedCgroup[] = [];
  for (const [location, group] of groups) {
    planned.push({ controller: group.controller, location, properties: group.properties });
  }
  return { ...common, groups: planned, moveInto: undefined };
};

const writeLine = async (file: string, value: string): Promise<void> => {
  try {
    await writeFile(file, `${value}\n`);
  } catch (error) {
    throw jailerErrors.write(file, error);
  }
};

// A real cgroupfs fills a new cgroup's files from its parent; the fake copies the parent's line
// when there is one, as upstream's `inherit_from_parent` does, and otherwise has nothing to copy.
const inheritFromParent = async (root: string, location: string, file: string): Promise<void> => {
  const parentFile = path.join(path.dirname(location), file);
  let line: string;
  try {
    line = (await readFile(parentFile, 'utf8')).split('\n')[0] ?? '';
  } catch {
    return;
  }
  if (line !== '') {
    await writeLine(fakeCgroupFile(root, location, file), line);
  }
};

// cgroupfs's `cgroup.subtree_control` takes `+<controller>` and reads back the enabled set.
const enableController = async (directory: string, controller: string): Promise<void> => {
  const file = path.join(directory, 'cgroup.subtree_control');
  let enabled: string[] = [];
  try {
    enabled = (await readFile(file, 'utf8')).split(/\s+/u).filter(Boolean);
  } catch {
    enabled = [];
  }
  if (!enabled.includes(controller)) {
    await writeLine(file, [...enabled, controller].join(' '));
  }
};

// A new cgroup starts with fresh interface files: those of a removed one of the same name go.
const createCgroup = async (root: string, location: string): Promise<void> => {
  const files = fakeCgroupFile(root, location, '');
  try {
    if (!existsSync(location)) {
      await rm(files, { recursive: true, force: true });
    }
    await mkdir(location, { recursive: true });
    await mkdir(files, { recursive: true });
  } catch (error) {
    throw jailerErrors.createDir(location, error);
  }
};

// The parent cgroup is not the fake's: its files are where the user put them.
const membershipFile = (plan: CgroupPlan, directory: string): string => {
  const file = plan.version === 1 ? 'tasks' : 'cgroup.procs';
  return plan.moveInto === directory
    ? path.join(directory, file)
    : fakeCgroupFile(plan.root, directory, file);
};

/** Adds a pid to a cgroup's member list (`tasks` for v1, `cgroup.procs` for v2). */
export const attachToCgroup = async (
  plan: CgroupPlan,
  directory: string,
  pid: number,
): Promise<void> => {
  if (plan.real && plan.moveInto !== directory) {
    await attachToRealCgroup(directory, plan.version, pid);
    return;
  }
  const file = membershipFile(plan, directory);
  try {
    await appendFile(file, `${pid}\n`);
  } catch (error) {
    throw plan.moveInto === directory
      ? jailerErrors.cgroupWrite(error)
      : jailerErrors.write(file, error);
  }
};

// On a real cgroup file system, as upstream: make the folder, inherit each v1 value from the
// parent (v2: enable the controller above) and write it, then attach the pid to every cgroup.
const applyRealCgroups = async (plan: CgroupPlan, pid: number): Promise<void> => {
  for (const group of plan.groups) {
    await createRealCgroup(group.location);
    const enabled = new Set<string>();
    for (const property of group.properties) {
      const controller = controllerOf(property.file);
      if (plan.version === 1) {
        await inheritFromRealParent(group.location, property.file, plan.parentDepth);
      } else if (!enabled.has(controller)) {
        enabled.add(controller);
        await enableRealController(path.dirname(group.location), controller);
      }
      await writeRealCgroupFile(group.location, property.file, property.value);
    }
  }
  for (const group of plan.groups) {
    await attachToRealCgroup(group.location, plan.version, pid);
  }
};

/**
 * Writes every planned value and then attaches `pid`, in two passes as upstream does (cpuset needs
 * its mems and cpus before any task joins); for v2 each controller is first enabled in the
 * `cgroup.subtree_control` of every ancestor below the root.
 */
export const applyCgroups = async (plan: CgroupPlan, pid: number): Promise<void> => {
  if (plan.moveInto !== undefined) {
    await attachToCgroup(plan, plan.moveInto, pid);
    return;
  }
  if (plan.real) {
    await applyRealCgroups(plan, pid);
    return;
  }
  for (const group of plan.groups) {
    await createCgroup(plan.root, group.location);
    const enabled = new Set<string>();
    for (const property of group.properties) {
      if (plan.version === 1) {
        await inheritFromParent(plan.root, group.location, property.file);
      } else {
        const controller = controllerOf(property.file);
        if (!enabled.has(controller)) {
          enabled.add(controller);
          const ancestors = path.relative(plan.root, path.dirname(group.location)).split(path.sep);
          let directory = plan.root;
          await enableController(directory, controller);
          for (const segment of ancestors.filter(Boolean)) {
            directory = path.join(directory, segment);
            await enableController(directory, controller);
          }
        }
      }
      await writeLine(fakeCgroupFile(plan.root, group.location, property.file), property.value);
    }
  }
  for (const group of plan.groups) {
    await attachToCgroup(plan, group.location, pid);
  }
};

/** The cgroups a process was attached to by `applyCgroups`, to add a later pid to the same ones. */
export const cgroupMembershipDirs = (plan: CgroupPlan): readonly string[] =>
  plan.moveInto === undefined ? plan.groups.map((group) => group.location) : [plan.moveInto];
