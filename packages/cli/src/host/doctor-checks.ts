// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';
import { ensurePrivateFolder } from '@kindling/helpers';
import { BINARIES, FIRECRACKER_VERSION, findBinary, isExecutable } from './binaries.js';
import type { StatePaths } from './state-paths.js';

const run = promisify(execFile);

/** One line of `kindling doctor`. */
export interface DoctorCheck {
  readonly check: string;
  /** `ok`; `warn`: works, with a caveat; `missing`: what needs it will not work. */
  readonly status: 'ok' | 'warn' | 'missing';
  readonly detail: string;
  /** What to do when it is not ok. */
  readonly fix?: string;
  /** Whether running a VM needs it (a missing one makes doctor exit 5). */
  readonly required: boolean;
}

const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

/**
 * Whether this host's KVM is a software one: no vmx/svm CPU flag (nested virtualisation is not
 * offered), or the kvm_pvm module (pagetable-based virtualisation) is loaded. Firecracker may
 * start there, but a guest may not boot.
 */
export const detectSoftwareKvm = async (): Promise<string | undefined> => {
  if (await exists('/sys/module/kvm_pvm')) {
    return 'the kvm_pvm module (software, pagetable-based KVM) is loaded';
  }
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  return /\b(?:vmx|svm)\b/u.test(cpuinfo) ? undefined : 'the CPU offers no vmx or svm flag';
};

const checkKvm = async (): Promise<DoctorCheck[]> => {
  try {
    await access('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return [
      {
        check: 'kvm',
        status: 'missing',
        detail: missing
          ? '/dev/kvm does not exist'
          : '/dev/kvm is not readable and writable by you',
        fix: missing
          ? 'enable virtualisation (load kvm_intel or kvm_amd; on a cloud VM, pick one with nested virtualisation)'
          : 'add yourself to its group: sudo usermod -aG kvm  (then log in again), or run as root',
        required: true,
      },
    ];
  }
  const software = await detectSoftwareKvm();
  return [
    {
      check: 'kvm',
      status: software === undefined ? 'ok' : 'warn',
      detail:
        software === undefined
          ? '/dev/kvm readable and writable, hardware virtualisation'
          : `/dev/kvm readable and writable, but a software KVM: ${software}`,
      ...(software === undefined
        ? {}
        : { fix: 'guests may not boot here: use a host with hardware virtualisation (vmx/svm)' }),
      required: true,
    },
  ];
};

const versionOf = async (file: string): Promise<string> => {
  const { stdout } = await run(file, ['--version'], { timeout: 10_000 });
  return stdout.split('\n')[0]?.trim() ?? '';
};

const checkBinary = async (
  { name, variable }: (typeof BINARIES)[number],
  env: NodeJS.ProcessEnv,
): Promise<DoctorCheck> => {
  const required = name === 'firecracker';
  const found = findBinary(name, env);
  if (found === undefined) {
    return {
      check: name,
      status: 'missing',
      detail: 'not found',
      fix: `kindling install firecracker (or set ${variable})`,
      required,
    };
  }
  try {
    const version = await versionOf(found.path);
    const expected = version.endsWith(`v${FIRECRACKER_VERSION}`);
    return {
      check: name,
      status: expected ? 'ok' : 'warn',
      detail: `${version} at ${found.path} (${found.via})`,
      ...(expected
        ? {}
        : { fix: `Kindling targets v${FIRECRACKER_VERSION}: kindling install firecracker` }),
      required,
    };
  } catch (error) {
    return {
      check: name,
      status: 'missing',
      detail: `${found.path} (${found.via}) does not run: ${(error as Error).message.split('\n')[0] ?? ''}`,
      fix: `fix or remove it; kindling install firecracker (or set ${variable})`,
      required,
    };
  }
};

const checkBinaries = (env: NodeJS.ProcessEnv): Promise<DoctorCheck[]> =>
  Promise.all(BINARIES.map((binary) => checkBinary(binary, env)));

const checkCgroups = async (): Promise<DoctorCheck> => {
  const v2 = await exists('/sys/fs/cgroup/cgroup.controllers');
  const v1 = !v2 && (await exists('/sys/fs/cgroup/cpu'));
  return {
    check: 'cgroups',
    status: v2 || v1 ? 'ok' : 'warn',
    detail: v2 ? 'version 2' : v1 ? 'version 1' : 'none mounted at /sys/fs/cgroup',
    ...(v2 || v1 ? {} : { fix: "mount cgroup2 at /sys/fs/cgroup for the jailer's --cgroup" }),
    required: false,
  };
};

const checkTool = (name: string, packageName: string, env: NodeJS.ProcessEnv): DoctorCheck => {
  const dirs = [...(env['PATH'] ?? '').split(':'), '/usr/sbin', '/sbin'];
  const found = dirs
    .filter((dir) => dir !== '')
    .map((dir) => `${dir}/${name}`)
    .find((file) => isExecutable(file));
  return {
    check: name,
    status: found === undefined ? 'warn' : 'ok',
    detail: found ?? 'not found (networking needs it)',
    ...(found === undefined ? { fix: `apt-get install ${packageName}` } : {}),
    required: false,
  };
};

const checkStateFolder = async (paths: StatePaths): Promise<DoctorCheck> => {
  const problem = await ensurePrivateFolder(paths.root).catch((error: Error) => error.message);
  return {
    check: 'state folder',
    status: problem === undefined ? 'ok' : 'missing',
    detail: problem === undefined ? paths.root : `${paths.root} ${problem}`,
    ...(problem === undefined
      ? {}
      : { fix: 'remove it, or set KINDLING_STATE_DIR to a folder of your own' }),
    required: true,
  };
};

/** Every check of `kindling doctor`, in the order printed. */
export const runDoctorChecks = async (
  env: NodeJS.ProcessEnv,
  paths: StatePaths,
): Promise<DoctorCheck[]> => [
  ...(await checkKvm()),
  ...(await checkBinaries(env)),
  await checkCgroups(),
  {
    check: 'kernel',
    status: 'ok',
    detail: `Linux ${os.release()} (${os.arch()})`,
    required: false,
  },
  checkTool('ip', 'iproute2', env),
  checkTool('nft', 'nftables', env),
  await checkStateFolder(paths),
];
