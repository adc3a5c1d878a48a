// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * How a command-line flag takes its value: `value` is `--flag <value>` once, `switch` is a bare
 * `--flag`, `repeatable` is `--flag <value>` any number of times.
 */
export type FlagKind = 'value' | 'switch' | 'repeatable';

/** What a flag's value is, for parsing and validation. */
export type FlagValueType = 'path' | 'string' | 'id' | 'u32' | 'u64' | 'level' | 'key-value';

/** One flag of `firecracker` or `jailer`, as `firecracker.md` sections 5 and 6 state it. */
export interface FlagSpec {
  /** The flag as written on the command line, e.g. `--api-sock`. */
  readonly flag: `--${string}`;
  /** The camelCase option Kindling exposes it as, e.g. `apiSocket`. */
  readonly option: string;
  readonly kind: FlagKind;
  /** Absent for switches. */
  readonly valueType?: FlagValueType;
  /** Firecracker's or the jailer's own default, as text. */
  readonly defaultValue?: string;
  readonly required?: boolean;
  /** Deprecated upstream (the binary still accepts it). */
  readonly deprecated?: boolean;
  /** Flags that may not be given together with this one. */
  readonly conflictsWith?: readonly `--${string}`[];
  /** Flags this one needs. */
  readonly requires?: readonly `--${string}`[];
  /** A flag that only prints something and exits (`--version`, `--help`, …). */
  readonly informational?: boolean;
}

/** Every flag of `firecracker` v1.16.1 (section 5), in the order Kindling emits them. */
export const FIRECRACKER_FLAGS = [
  {
    flag: '--api-sock',
    option: 'apiSocket',
    kind: 'value',
    valueType: 'path',
    defaultValue: '/run/firecracker.socket',
  },
  {
    flag: '--id',
    option: 'id',
    kind: 'value',
    valueType: 'id',
    defaultValue: 'anonymous-instance',
  },
  { flag: '--config-file', option: 'configFile', kind: 'value', valueType: 'path' },
  { flag: '--no-api', option: 'noApi', kind: 'switch', requires: ['--config-file'] },
  { flag: '--metadata', option: 'metadata', kind: 'value', valueType: 'path' },
  { flag: '--log-path', option: 'logPath', kind: 'value', valueType: 'path' },
  { flag: '--level', option: 'level', kind: 'value', valueType: 'level', defaultValue: 'Info' },
  { flag: '--module', option: 'module', kind: 'value', valueType: 'string' },
  { flag: '--show-level', option: 'showLevel', kind: 'switch' },
  { flag: '--show-log-origin', option: 'showLogOrigin', kind: 'switch' },
  { flag: '--metrics-path', option: 'metricsPath', kind: 'value', valueType: 'path' },
  { flag: '--boot-timer', option: 'bootTimer', kind: 'switch' },
  {
    flag: '--seccomp-filter',
    option: 'seccompFilter',
    kind: 'value',
    valueType: 'path',
    conflictsWith: ['--no-seccomp'],
  },
  {
    flag: '--no-seccomp',
    option: 'noSeccomp',
    kind: 'switch',
    conflictsWith: ['--seccomp-filter'],
  },
  {
    flag: '--start-time-us',
    option: 'startTimeUs',
    kind: 'value',
    valueType: 'u64',
    deprecated: true,
  },
  {
    flag: '--start-time-cpu-us',
    option: 'startTimeCpuUs',
    kind: 'value',
    valueType: 'u64',
    deprecated: true,
  },
  { flag: '--parent-cpu-time-us', option: 'parentCpuTimeUs', kind: 'value', valueType: 'u64' },
  {
    flag: '--http-api-max-payload-size',
    option: 'httpApiMaxPayloadSize',
    kind: 'value',
    valueType: 'u64',
    defaultValue: '51200',
  },
  { flag: '--mmds-size-limit', option: 'mmdsSizeLimit', kind: 'value', valueType: 'u64' },
  { flag: '--enable-pci', option: 'enablePci', kind: 'switch' },
  { flag: '--version', option: 'version', kind: 'switch', informational: true },
  { flag: '--snapshot-version', option: 'snapshotVersion', kind: 'switch', informational: true },
  {
    flag: '--describe-snapshot',
    option: 'describeSnapshot',
    kind: 'value',
    valueType: 'path',
    informational: true,
  },
  { flag: '--help', option: 'help', kind: 'switch', informational: true },
] as const satisfies readonly FlagSpec[];

/** Every flag of `jailer` v1.16.1 (section 6), in the order Kindling emits them. */
export const JAILER_FLAGS = [
  { flag: '--id', option: 'id', kind: 'value', valueType: 'id', required: true },
  { flag: '--exec-file', option: 'execFile', kind: 'value', valueType: 'path', required: true },
  { flag: '--uid', option: 'uid', kind: 'value', valueType: 'u32', required: true },
  { flag: '--gid', option: 'gid', kind: 'value', valueType: 'u32', required: true },
  {
    flag: '--chroot-base-dir',
    option: 'chrootBaseDir',
    kind: 'value',
    valueType: 'path',
    defaultValue: '/srv/jailer',
  },
  { flag: '--netns', option: 'netns', kind: 'value', valueType: 'path' },
  { flag: '--daemonize', option: 'daemonize', kind: 'switch' },
  { flag: '--new-pid-ns', option: 'newPidNs', kind: 'switch' },
  { flag: '--cgroup', option: 'cgroups', kind: 'repeatable', valueType: 'key-value' },
  {
    flag: '--cgroup-version',
    option: 'cgroupVersion',
    kind: 'value',
    valueType: 'string',
    defaultValue: '1',
  },
  { flag: '--parent-cgroup', option: 'parentCgroup', kind: 'value', valueType: 'path' },
  {
    flag: '--resource-limit',
    option: 'resourceLimits',
    kind: 'repeatable',
    valueType: 'key-value',
  },
  { flag: '--version', option: 'version', kind: 'switch', informational: true },
  { flag: '--help', option: 'help', kind: 'switch', informational: true },
] as const satisfies readonly FlagSpec[];

/** Looks up a flag of a table by its command-line spelling. */
export const findFlag = (table: readonly FlagSpec[], flag: string): FlagSpec | undefined =>
  table.find((spec) => spec.flag === flag);
