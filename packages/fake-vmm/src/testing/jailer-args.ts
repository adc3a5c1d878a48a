// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** How the fake jailer is run (`jailer` flags); every field is optional. */
export interface FakeJailerOptions {
  /** `--uid` (default: this process's uid). */
  readonly uid?: number;
  /** `--gid` (default: this process's gid). */
  readonly gid?: number;
  readonly daemonize?: boolean;
  readonly newPidNs?: boolean;
  readonly cgroupVersion?: 1 | 2;
  /** `--cgroup <file>=<value>` for each entry. */
  readonly cgroups?: Readonly<Record<string, string>>;
  readonly parentCgroup?: string;
  /** `--resource-limit fsize=…` and `no-file=…`. */
  readonly resourceLimits?: { readonly fileSize?: number; readonly noFile?: number };
  /** `--netns`: a path that must exist. */
  readonly netns?: string;
}

/** The jailer's own flags (before `--`) for a jail of `id` under `base`. */
export const buildJailerArgs = (
  jailer: FakeJailerOptions,
  id: string,
  execFile: string,
  base: string,
): string[] => {
  const args = [
    '--id',
    id,
    '--exec-file',
    execFile,
    '--uid',
    String(jailer.uid ?? process.getuid?.() ?? 0),
    '--gid',
    String(jailer.gid ?? process.getgid?.() ?? 0),
    '--chroot-base-dir',
    base,
  ];
  if (jailer.daemonize === true) {
    args.push('--daemonize');
  }
  if (jailer.newPidNs === true) {
    args.push('--new-pid-ns');
  }
  if (jailer.cgroupVersion !== undefined) {
    args.push('--cgroup-version', String(jailer.cgroupVersion));
  }
  for (const [file, value] of Object.entries(jailer.cgroups ?? {})) {
    args.push('--cgroup', `${file}=${value}`);
  }
  if (jailer.parentCgroup !== undefined) {
    args.push('--parent-cgroup', jailer.parentCgroup);
  }
  const limits = jailer.resourceLimits;
  if (limits?.fileSize !== undefined) {
    args.push('--resource-limit', `fsize=${limits.fileSize}`);
  }
  if (limits?.noFile !== undefined) {
    args.push('--resource-limit', `no-file=${limits.noFile}`);
  }
  if (jailer.netns !== undefined) {
    args.push('--netns', jailer.netns);
  }
  return args;
};

/** The jailer options of `startFakeFirecracker`: `true` means every default, `false` no jailer. */
export const resolveJailerOption = (
  option: FakeJailerOptions | boolean | undefined,
): FakeJailerOptions | undefined => {
  if (option === true) {
    return {};
  }
  return option === false ? undefined : option;
};
