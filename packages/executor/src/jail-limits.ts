// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JailerArguments } from '@kindling/vmm-core';
import {
  findCgroupMountOf,
  mountsController,
  readCgroupMounts,
  type CgroupMount,
} from './cgroup-mounts.js';
import { detectCgroupVersion } from './cgroup-version.js';
import { ExecutorError } from './errors.js';
import { findCgroupHierarchy } from './jail-cgroups.js';
import {
  cgroupFilesForLimits,
  controllersOfFiles,
  limitFieldOfFile,
  type CgroupVersion,
  type ResourceLimits,
} from './resource-limits.js';

const refuse = (message: string): never => {
  throw new ExecutorError('ERR_INVALID_INPUT', message);
};

const readFirstLine = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8').split('\n')[0]?.trim();
  } catch {
    return undefined;
  }
};

const fieldsOf = (files: Readonly<Record<string, string>>, controller: string): string =>
  [
    ...new Set(
      Object.keys(files)
        .filter((file) => file.startsWith(`${controller}.`))
        .map((file) => `limits.${String(limitFieldOfFile(file))}`),
    ),
  ].join(', ');

// A root that is no cgroup mount, lies under none and holds none stands in for the mounts.
const isStandIn = (cgroupRoot: string, mounts: readonly CgroupMount[]): boolean => {
  const root = path.resolve(cgroupRoot);
  return (
    findCgroupMountOf(root, mounts) === undefined &&
    !mounts.some((mount) => mount.mountPoint.startsWith(`${root}${path.sep}`))
  );
};

// A hierarchy must be a cgroup file system carrying the controller, as the jailer finds it; a
// stand-in `cgroupRoot` (no cgroup mount, under none, holding none: a fake's) has nothing to check.
const checkHierarchy = (request: {
  readonly version: CgroupVersion;
  readonly controller: string;
  readonly cgroupRoot: string | undefined;
  readonly mounts: readonly CgroupMount[];
  readonly fields: string;
}): string | undefined => {
  const { version, controller, cgroupRoot, mounts, fields } = request;
  const hierarchy = findCgroupHierarchy(version, controller, cgroupRoot, () => mounts);
  const where = cgroupRoot === undefined ? '/proc/self/mounts' : `cgroupRoot ${cgroupRoot}`;
  const mount = hierarchy === undefined ? undefined : findCgroupMountOf(hierarchy, mounts);
  if (hierarchy !== undefined && cgroupRoot !== undefined && isStandIn(cgroupRoot, mounts)) {
    return hierarchy;
  }
  const usable =
    mount !== undefined &&
    (version === 1
      ? mountsController(mount, controller)
      : mount.fsType === 'cgroup2' &&
        (readFirstLine(path.join(hierarchy ?? '', 'cgroup.controllers')) ?? '')
          .split(' ')
          .includes(controller));
  if (!usable) {
    refuse(
      `${fields}: this host has no cgroup v${version} hierarchy with the ${controller} controller (looked in ${where}${hierarchy === undefined ? '' : `, found ${hierarchy}`}): enable the controller, set jailerArguments.cgroupVersion to the host's version, or drop the limit`,
    );
  }
  return hierarchy;
};

/**
 * The jailer's arguments with `--cgroup` entries that enforce `limits` added (and
 * `--cgroup-version` set from `detectCgroupVersion` when they do not set it). Refused, before
 * anything starts, when a limit sets a file the arguments' own `cgroups` set too, or when the
 * host has no hierarchy for a limit's controller. Under v1 a `cpuset` limit also passes the
 * `cpuset.mems` of the hierarchy's root, which a v1 cpuset needs before it takes a process.
 */
export const applyResourceLimits = (
  jailerArguments: JailerArguments,
  limits: ResourceLimits,
  cgroupRoot: string | undefined,
): JailerArguments => {
  const { options } = jailerArguments;
  const version =
    options.cgroupVersion ??
    detectCgroupVersion(cgroupRoot) ??
    refuse(
      `limits: this host has no cgroup hierarchy (no cgroup or cgroup2 mount in /proc/self/mounts) to apply them in: mount the cgroup file system, or drop the limits`,
    );
  const files = cgroupFilesForLimits(limits, version);
  const own = options.cgroups ?? {};
  for (const [file, value] of Object.entries(files)) {
    const theirs = own[file];
    if (theirs !== undefined) {
      refuse(
        `limits.${String(limitFieldOfFile(file))}: sets cgroup file ${file} to ${JSON.stringify(value)}, which jailerArguments.cgroups also sets (${JSON.stringify(theirs)}): set it in one place only`,
      );
    }
  }
  const mounts = readCgroupMounts();
  const added: Record<string, string> = {};
  for (const controller of controllersOfFiles(Object.keys(files))) {
    const hierarchy = checkHierarchy({
      version,
      controller,
      cgroupRoot,
      mounts,
      fields: fieldsOf(files, controller),
    });
    const mems =
      version === 1 && controller === 'cpuset' && own['cpuset.mems'] === undefined
        ? readFirstLine(path.join(hierarchy ?? '', 'cpuset.mems'))
        : undefined;
    if (mems !== undefined && mems !== '') {
      added['cpuset.mems'] = mems;
    }
  }
  return new JailerArguments({
    ...options,
    cgroups: { ...own, ...files, ...added },
    cgroupVersion: version,
  });
};
