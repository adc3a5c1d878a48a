// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { optionsObject, parseOptions } from './parse-options.js';

/** A cgroup hierarchy version: 1 (one hierarchy per controller) or 2 (one unified hierarchy). */
export type CgroupVersion = 1 | 2;

/** The CFS period a `cpus` limit is expressed over, in microseconds (the kernel's default). */
export const CPU_PERIOD_US = 100_000;

// The kernel refuses a CFS quota below 1 ms (EINVAL), so the smallest share of a CPU is 1 %.
const MIN_CPUS = 0.01;
// cpu.weight's range in cgroup v2 (and systemd's CPUWeight=).
const MIN_CPU_WEIGHT = 1;
const MAX_CPU_WEIGHT = 10_000;
// cpu.shares' range in cgroup v1, and the values that match v2's default weight of 100.
const MIN_CPU_SHARES = 2;
const MAX_CPU_SHARES = 262_144;
const DEFAULT_CPU_SHARES = 1024;
const DEFAULT_CPU_WEIGHT = 100;
// cpuset.cpus' list syntax: "0", "0-3", "0,2,4-7".
const CPU_LIST = /^\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*$/u;

const positiveIntegerRule = 'expected a positive integer';

const resourceLimitsSchema = optionsObject(
  {
    /** The most memory the VMM may use, in bytes (v1 `memory.limit_in_bytes`, v2 `memory.max`). */
    memoryBytes: z
      .number({ error: positiveIntegerRule })
      .int({ error: positiveIntegerRule })
      .positive({ error: positiveIntegerRule })
      .max(Number.MAX_SAFE_INTEGER, { error: positiveIntegerRule })
      .optional(),
    /**
     * How many CPUs' worth of time the VMM may use, fractional (`0.5`: half of one CPU, `2`: two),
     * at least 0.01: v1 `cpu.cfs_period_us` 100000 and `cpu.cfs_quota_us`, v2 `cpu.max`.
     */
    cpus: z
      .number({ error: `expected a number of CPUs of at least ${MIN_CPUS}` })
      .min(MIN_CPUS, { error: `expected a number of CPUs of at least ${MIN_CPUS}` })
      .max(Number.MAX_SAFE_INTEGER / CPU_PERIOD_US, { error: 'expected a finite number of CPUs' })
      .optional(),
    /**
     * The VMM's share of CPU time when CPUs are contended, 1 to 10000 (default of a cgroup: 100):
     * v2 `cpu.weight`, v1 `cpu.shares` converted as systemd does (`weight * 1024 / 100`).
     */
    cpuWeight: z
      .number({ error: `expected an integer from ${MIN_CPU_WEIGHT} to ${MAX_CPU_WEIGHT}` })
      .int({ error: `expected an integer from ${MIN_CPU_WEIGHT} to ${MAX_CPU_WEIGHT}` })
      .min(MIN_CPU_WEIGHT, {
        error: `expected an integer from ${MIN_CPU_WEIGHT} to ${MAX_CPU_WEIGHT}`,
      })
      .max(MAX_CPU_WEIGHT, {
        error: `expected an integer from ${MIN_CPU_WEIGHT} to ${MAX_CPU_WEIGHT}`,
      })
      .optional(),
    /** The most processes and threads in the VMM's cgroup (`pids.max`, v1 and v2). */
    pids: z
      .number({ error: positiveIntegerRule })
      .int({ error: positiveIntegerRule })
      .positive({ error: positiveIntegerRule })
      .max(Number.MAX_SAFE_INTEGER, { error: positiveIntegerRule })
      .optional(),
    /**
     * The host CPUs the VMM may run on, as a cpuset list (`"0-1"`, `"0,2"`): `cpuset.cpus`. Under
     * v1 a `JailedExecutor` also passes `cpuset.mems`, the memory nodes of the hierarchy's root,
     * since a v1 cpuset without memory nodes takes no process.
     */
    cpuset: z
      .string({ error: 'expected a cpuset list such as "0-1" or "0,2"' })
      .regex(CPU_LIST, { error: 'expected a cpuset list such as "0-1" or "0,2"' })
      .optional(),
  },
  'a ResourceLimits object',
);

/**
 * Memory and CPU limits for one VMM process, applied through the jailer's cgroups (`--cgroup`).
 * Every field is optional; an absent one leaves that resource as the parent cgroup has it.
 *
 * @interface
 */
export type ResourceLimits = z.input<typeof resourceLimitsSchema>;

/** Checks limits, or throws `ExecutorError` `ERR_INVALID_INPUT` naming each bad field. */
export const parseResourceLimits = (limits: ResourceLimits, subject = 'limits'): ResourceLimits =>
  parseOptions(resourceLimitsSchema, limits, subject);

/** The schema of `ResourceLimits`, for option schemas that take limits. */
export const resourceLimitsOptionSchema = resourceLimitsSchema;

// systemd's CGROUP_CPU_WEIGHT → CPUShares mapping: the default weight 100 is the default 1024.
const toCpuShares = (weight: number): number =>
  Math.min(
    MAX_CPU_SHARES,
    Math.max(MIN_CPU_SHARES, Math.round((weight * DEFAULT_CPU_SHARES) / DEFAULT_CPU_WEIGHT)),
  );

/** The cgroup controllers a set of cgroup files belongs to (the text before the first "."). */
export const controllersOfFiles = (files: Iterable<string>): readonly string[] => [
  ...new Set([...files].map((file) => file.slice(0, file.indexOf('.')))),
];

/**
 * The cgroup files and values that enforce `limits` under a cgroup version, in the order the
 * jailer must write them (v1's period before its quota), as `--cgroup <file>=<value>` takes them.
 * The limits are checked first (`ERR_INVALID_INPUT`). Under v1, `cpuset` gives `cpuset.cpus`
 * only: its `cpuset.mems` is the host's, which `JailedExecutor` reads.
 */
export const cgroupFilesForLimits = (
  limits: ResourceLimits,
  version: CgroupVersion,
): Readonly<Record<string, string>> => {
  const checked = parseResourceLimits(limits);
  const files: Record<string, string> = {};
  if (checked.memoryBytes !== undefined) {
    files[version === 1 ? 'memory.limit_in_bytes' : 'memory.max'] = String(checked.memoryBytes);
  }
  if (checked.cpus !== undefined) {
    const quota = Math.round(checked.cpus * CPU_PERIOD_US);
    if (version === 1) {
      files['cpu.cfs_period_us'] = String(CPU_PERIOD_US);
      files['cpu.cfs_quota_us'] = String(quota);
    } else {
      files['cpu.max'] = `${quota} ${CPU_PERIOD_US}`;
    }
  }
  if (checked.cpuWeight !== undefined) {
    files[version === 1 ? 'cpu.shares' : 'cpu.weight'] =
      version === 1 ? String(toCpuShares(checked.cpuWeight)) : String(checked.cpuWeight);
  }
  if (checked.pids !== undefined) {
    files['pids.max'] = String(checked.pids);
  }
  if (checked.cpuset !== undefined) {
    files['cpuset.cpus'] = checked.cpuset;
  }
  return Object.freeze(files);
};

/** Which field of `ResourceLimits` sets a cgroup file, for messages naming the limit. */
export const limitFieldOfFile = (file: string): keyof ResourceLimits | undefined => {
  if (file.startsWith('memory.')) {
    return 'memoryBytes';
  }
  if (file === 'cpu.shares' || file === 'cpu.weight') {
    return 'cpuWeight';
  }
  if (file.startsWith('cpu.')) {
    return 'cpus';
  }
  if (file.startsWith('pids.')) {
    return 'pids';
  }
  return file.startsWith('cpuset.') ? 'cpuset' : undefined;
};
