// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ExecutorError } from './errors.js';
import { readProcStat } from './proc-stat.js';
import type { CgroupVersion } from './resource-limits.js';

/**
 * What a VMM's cgroups say now about the resources it uses. A field is absent when none of its
 * cgroups has the file (its controller was not given a limit, or is not mounted), and a limit is
 * absent when it is unlimited (`max`, or v1's "no limit" near 2^63).
 */
export interface ResourceUsage {
  /** The cgroup version the figures come from. */
  readonly cgroupVersion: CgroupVersion;
  /** The cgroup folders read: one for v2, one per controller's hierarchy for v1. */
  readonly dirs: readonly string[];
  /** Memory charged now, page cache included (v1 `memory.usage_in_bytes`, v2 `memory.current`). */
  readonly memoryBytes?: number;
  /** The memory limit (v1 `memory.limit_in_bytes`, v2 `memory.max`). */
  readonly memoryLimitBytes?: number;
  /** The most memory charged so far (v1 `memory.max_usage_in_bytes`, v2 `memory.peak`). */
  readonly memoryPeakBytes?: number;
  /**
   * CPU time used, in microseconds (v1 `cpuacct.usage` in ns / 1000, v2 `cpu.stat` usage_usec).
   * On a v1 host whose cpuacct hierarchy the VM has no cgroup in, the CPU time of the processes
   * now in its cgroups, from `/proc/<pid>/stat` (10 ms steps).
   */
  readonly cpuUsageMicros?: number;
  /** Processes and threads now in the cgroup (`pids.current`). */
  readonly pids?: number;
  /** The process limit (`pids.max`). */
  readonly pidsLimit?: number;
}

// Linux's USER_HZ, the unit of utime/stime in /proc/<pid>/stat: 100 on every architecture.
const CLOCK_TICKS_PER_SECOND = 100;

const readText = async (file: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A file the controller does not offer, or a cgroup removed meanwhile: no figure.
    if (code === 'ENOENT' || code === 'ENODEV' || code === 'EINVAL') {
      return undefined;
    }
    throw error;
  }
};

// A counter or limit: "max" and v1's unlimited (PAGE_COUNTER_MAX pages, ~2^63) are no figure.
const parseCount = (text: string | undefined): number | undefined => {
  const value = text?.trim();
  if (value === undefined || value === '' || value === 'max') {
    return undefined;
  }
  const number = Number(value);
  return Number.isSafeInteger(number) && number >= 0 ? number : undefined;
};

// The first of the VM's cgroups that has this file.
const readFirst = async (dirs: readonly string[], file: string): Promise<string | undefined> => {
  for (const dir of dirs) {
    const text = await readText(path.join(dir, file));
    if (text !== undefined) {
      return text;
    }
  }
  return undefined;
};

const readStatField = (text: string | undefined, field: string): number | undefined => {
  const line = text?.split('\n').find((entry) => entry.startsWith(`${field} `));
  return parseCount(line?.slice(field.length + 1));
};

const readProcessesCpuMicros = async (dirs: readonly string[]): Promise<number | undefined> => {
  const listed = await readFirst(dirs, 'cgroup.procs');
  if (listed === undefined) {
    return undefined;
  }
  const pids = listed.split('\n').filter(Boolean).map(Number);
  let ticks = 0;
  for (const pid of pids) {
    // A process that left meanwhile has no figure.
    ticks += (await readProcStat(pid))?.cpuTicks ?? 0;
  }
  return Math.round((ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND);
};

const readV1CpuMicros = async (dirs: readonly string[]): Promise<number | undefined> => {
  const nanos = parseCount(await readFirst(dirs, 'cpuacct.usage'));
  return nanos === undefined ? readProcessesCpuMicros(dirs) : Math.floor(nanos / 1000);
};

const withoutUndefined = (usage: Record<string, unknown>): ResourceUsage =>
  Object.fromEntries(
    Object.entries(usage).filter(([, value]) => value !== undefined),
  ) as unknown as ResourceUsage;

const readUsage = async (
  dirs: readonly string[],
  version: CgroupVersion,
): Promise<ResourceUsage> => {
  if (version === 2) {
    return withoutUndefined({
      cgroupVersion: 2,
      dirs,
      memoryBytes: parseCount(await readFirst(dirs, 'memory.current')),
      memoryLimitBytes: parseCount(await readFirst(dirs, 'memory.max')),
      memoryPeakBytes: parseCount(await readFirst(dirs, 'memory.peak')),
      cpuUsageMicros: readStatField(await readFirst(dirs, 'cpu.stat'), 'usage_usec'),
      pids: parseCount(await readFirst(dirs, 'pids.current')),
      pidsLimit: parseCount(await readFirst(dirs, 'pids.max')),
    });
  }
  return withoutUndefined({
    cgroupVersion: 1,
    dirs,
    memoryBytes: parseCount(await readFirst(dirs, 'memory.usage_in_bytes')),
    memoryLimitBytes: parseCount(await readFirst(dirs, 'memory.limit_in_bytes')),
    memoryPeakBytes: parseCount(await readFirst(dirs, 'memory.max_usage_in_bytes')),
    cpuUsageMicros: await readV1CpuMicros(dirs),
    pids: parseCount(await readFirst(dirs, 'pids.current')),
    pidsLimit: parseCount(await readFirst(dirs, 'pids.max')),
  });
};

/**
 * Reads what a VMM's cgroup folders say now: memory, CPU time and processes, with their limits.
 * A file that is not there leaves its field out; another read error is `ERR_RESOURCE_USAGE`.
 */
export const readCgroupUsage = async (
  dirs: readonly string[],
  version: CgroupVersion,
): Promise<ResourceUsage> => {
  try {
    return await readUsage(dirs, version);
  } catch (error) {
    throw new ExecutorError(
      'ERR_RESOURCE_USAGE',
      `Could not read the VM's cgroup files in ${dirs.join(', ')}: ${(error as Error).message}`,
      { cause: error },
    );
  }
};
