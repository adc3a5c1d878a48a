// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ParsedArguments } from './arg-parser.js';
import { type CgroupPlan, planCgroups } from './cgroups.js';
import { checkInstanceId } from './instance-id.js';
import { jailerErrors } from './jailer-error.js';
import { hasInvalidComponent } from './path-components.js';
import { parseResourceLimits, type ResourceLimits } from './resource-limits.js';
import { parseRustUnsigned } from '../rust/parse-unsigned.js';

/** What the jailer will do, resolved and validated from its arguments before any change is made. */
export interface JailerConfig {
  readonly id: string;
  /** The canonical `--exec-file` (symlinks resolved). */
  readonly execFilePath: string;
  /** Its base name, which names the jail folder, the copied binary and the pid file. */
  readonly execFileName: string;
  /** `<chroot-base-dir>/<exec name>/<id>/root`. */
  readonly chrootDir: string;
  readonly uid: number;
  readonly gid: number;
  readonly netns: string | undefined;
  readonly daemonize: boolean;
  readonly newPidNs: boolean;
  readonly cgroups: CgroupPlan | undefined;
  readonly resourceLimits: ResourceLimits;
  /** The `/dev/userfaultfd` minor from `/proc/misc`, when the host has the device. */
  readonly userfaultfdMinor: number | undefined;
  readonly extraArgs: readonly string[];
}

/** Where the host facts the jailer reads come from, so tests can point them elsewhere. */
export interface JailerHost {
  /** Stands in for the cgroup mount points. */
  readonly cgroupRoot: string;
  /** The text of `/proc/misc`, or undefined when unreadable. */
  readonly procMisc: string | undefined;
}

const canonicalize = (value: string): string => {
  try {
    return realpathSync(value);
  } catch (error) {
    throw jailerErrors.canonicalize(value, error);
  }
};

const isFile = (value: string): boolean =>
  statSync(value, { throwIfNoEntry: false })?.isFile() ?? false;

const isDirectory = (value: string): boolean =>
  statSync(value, { throwIfNoEntry: false })?.isDirectory() ?? false;

const parseId = (value: string, invalid: (value: string) => Error): number => {
  const parsed = parseRustUnsigned(value, 32);
  if (!parsed.ok) {
    throw invalid(value);
  }
  return Number(parsed.value);
};

// Upstream splits each `/proc/misc` line on single spaces and wants `<minor> userfaultfd`.
const findUserfaultfdMinor = (procMisc: string | undefined): number | undefined => {
  for (const line of (procMisc ?? '').split('\n')) {
    const fields = line.split(' ');
    if (fields.length >= 2 && fields[1] === 'userfaultfd') {
      const parsed = parseRustUnsigned(fields[0] ?? '', 32);
      return parsed.ok ? Number(parsed.value) : undefined;
    }
  }
  return undefined;
};

/**
 * Resolves the jailer's arguments as upstream's `Env::new` does, in the same order, so that the
 * first error reported is the one the real jailer reports.
 */
export const resolveJailerConfig = (args: ParsedArguments, host: JailerHost): JailerConfig => {
  const value = (name: string): string => args.values.get(name) ?? '';
  const id = value('id');
  const idProblem = checkInstanceId(id);
  if (idProblem !== undefined) {
    throw jailerErrors.invalidInstanceId(idProblem.display, idProblem.debug);
  }

  const execFilePath = canonicalize(value('exec-file'));
  if (!isFile(execFilePath)) {
    throw jailerErrors.notAFile(execFilePath);
  }
  // The real v1.16.1 jailer takes any file name (no "must contain firecracker" check).
  const execFileName = path.basename(execFilePath);

  const chrootBase = canonicalize(args.values.get('chroot-base-dir') ?? '/srv/jailer');
  if (!isDirectory(chrootBase)) {
    throw jailerErrors.notADirectory(chrootBase);
  }
  const chrootDir = path.join(chrootBase, execFileName, id, 'root');

  const uid = parseId(value('uid'), jailerErrors.uid);
  const gid = parseId(value('gid'), jailerErrors.gid);

  const parentCgroup = args.values.get('parent-cgroup') ?? execFileName;
  if (hasInvalidComponent(parentCgroup)) {
    throw jailerErrors.cgroupInvalidParentPath();
  }
  const versionText = args.values.get('cgroup-version') ?? '1';
  const version = parseRustUnsigned(versionText, 8);
  if (!version.ok) {
    throw jailerErrors.cgroupInvalidVersion(versionText);
  }
  const cgroups = planCgroups({
    root: host.cgroupRoot,
    version: Number(version.value),
    args: args.lists.get('cgroup'),
    id,
    parentCgroup,
  });

  return {
    id,
    execFilePath,
    execFileName,
    chrootDir,
    uid,
    gid,
    netns: args.values.get('netns'),
    daemonize: args.switches.has('daemonize'),
    newPidNs: args.switches.has('new-pid-ns'),
    cgroups,
    resourceLimits: parseResourceLimits(args.lists.get('resource-limit')),
    userfaultfdMinor: findUserfaultfdMinor(host.procMisc),
    extraArgs: args.extraArgs,
  };
};
