// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { JAILER_FLAGS } from './flags.js';
import { JailerArguments, type JailerArgumentsOptions } from './jailer-arguments.js';
import { VmmArguments } from './vmm-arguments.js';
import { catchVmmCoreError } from '../../test/support/catch-vmm-core-error.js';

const REQUIRED = {
  id: 'vm-1',
  execFile: '/usr/bin/firecracker',
  uid: 1000,
  gid: 100,
} as const;
const REQUIRED_ARGS = [
  '--id',
  'vm-1',
  '--exec-file',
  '/usr/bin/firecracker',
  '--uid',
  '1000',
  '--gid',
  '100',
];

// One case per optional flag of `jailer` v1.16.1, and the argv it adds after the required ones.
const FLAG_CASES: readonly (readonly [
  string,
  Partial<JailerArgumentsOptions>,
  readonly string[],
])[] = [
  ['--chroot-base-dir', { chrootBaseDir: '/srv/kindling' }, ['--chroot-base-dir', '/srv/kindling']],
  ['--netns', { netns: '/var/run/netns/vm1' }, ['--netns', '/var/run/netns/vm1']],
  ['--daemonize', { daemonize: true }, ['--daemonize']],
  ['--new-pid-ns', { newPidNs: true }, ['--new-pid-ns']],
  ['--cgroup', { cgroups: { 'cpu.max': '50000 100000' } }, ['--cgroup', 'cpu.max=50000 100000']],
  ['--cgroup-version', { cgroupVersion: 2 }, ['--cgroup-version', '2']],
  ['--parent-cgroup', { parentCgroup: 'kindling/vms' }, ['--parent-cgroup', 'kindling/vms']],
  [
    '--resource-limit',
    { resourceLimits: { maxOpenFiles: 4096 } },
    ['--resource-limit', 'no-file=4096'],
  ],
  ['--version', { version: true }, ['--version']],
  ['--help', { help: true }, ['--help']],
];

describe('JailerArguments', () => {
  it('covers every flag of the table', () => {
    const covered = ['--id', '--exec-file', '--uid', '--gid', ...FLAG_CASES.map(([flag]) => flag)];
    expect(covered.toSorted()).toEqual(JAILER_FLAGS.map((spec) => spec.flag).toSorted());
  });

  it('emits the four required flags in table order', () => {
    expect(new JailerArguments(REQUIRED).toArgs()).toEqual(REQUIRED_ARGS);
  });

  it.each(FLAG_CASES)('emits %s after the required flags', (_flag, options, expected) => {
    expect(new JailerArguments({ ...REQUIRED, ...options }).toArgs()).toEqual([
      ...REQUIRED_ARGS,
      ...expected,
    ]);
  });

  it('repeats --cgroup in the order given and --resource-limit as fsize then no-file', () => {
    const args = new JailerArguments({
      ...REQUIRED,
      cgroupVersion: 1,
      cgroups: { 'cpuset.mems': '0', 'cpuset.cpus': '0-1', 'memory.limit_in_bytes': '1073741824' },
      resourceLimits: { maxOpenFiles: 1024, maxFileSizeBytes: 2n ** 40n },
    }).toArgs();
    expect(args.slice(REQUIRED_ARGS.length)).toEqual([
      '--cgroup',
      'cpuset.mems=0',
      '--cgroup',
      'cpuset.cpus=0-1',
      '--cgroup',
      'memory.limit_in_bytes=1073741824',
      '--cgroup-version',
      '1',
      '--resource-limit',
      'fsize=1099511627776',
      '--resource-limit',
      'no-file=1024',
    ]);
  });

  it('appends -- and the VMM arguments, without a second --id', () => {
    const vmm = new VmmArguments({
      apiSocket: '/run/firecracker.socket',
      id: 'vm-1',
      enablePci: true,
    });
    const args = new JailerArguments({ ...REQUIRED, daemonize: true }).toArgs(vmm);
    expect(args).toEqual([
      ...REQUIRED_ARGS,
      '--daemonize',
      '--',
      '--api-sock',
      '/run/firecracker.socket',
      '--enable-pci',
    ]);
    expect(args.filter((arg) => arg === '--id')).toHaveLength(1);
    expect(new JailerArguments(REQUIRED).toArgs(new VmmArguments())).toEqual([
      ...REQUIRED_ARGS,
      '--',
    ]);
  });

  it('refuses VMM arguments whose id differs from the jail id', () => {
    const error = catchVmmCoreError(() =>
      new JailerArguments(REQUIRED).toArgs(new VmmArguments({ id: 'other' })),
    );
    expect(error.code).toBe('ERR_INVALID_INPUT');
    expect(error.message).toMatch(/^vmmArguments\.id: the jailer passes --id vm-1 .*got "other"/u);
  });

  it.each(['startTimeUs', 'startTimeCpuUs', 'parentCpuTimeUs'] as const)(
    'refuses VMM arguments that set %s, which the jailer sets',
    (option) => {
      const error = catchVmmCoreError(() =>
        new JailerArguments(REQUIRED).toArgs(new VmmArguments({ [option]: 5 })),
      );
      expect(error.code).toBe('ERR_INVALID_INPUT');
      expect(error.message).toContain(`vmmArguments.${option}: the jailer sets this flag itself`);
    },
  );

  it.each([
    ['a missing id', { id: undefined }, /jailerArguments\.id: .*got nothing/u],
    [
      'an invalid id',
      { id: 'a.b' },
      /jailerArguments\.id: may contain only .*"\." at character 1/u,
    ],
    ['an empty id', { id: '' }, /jailerArguments\.id: must be 1 to 64 bytes/u],
    ['a missing exec file', { execFile: undefined }, /jailerArguments\.execFile: /u],
    [
      'a negative uid',
      { uid: -1 },
      /jailerArguments\.uid: must be an integer from 0 to 4294967295 \(u32\), got -1/u,
    ],
    ['a gid above u32', { gid: 2 ** 32 }, /jailerArguments\.gid: .*u32.*got 4294967296/u],
    [
      'a cgroup file without a controller',
      { cgroups: { max: '1' } },
      /jailerArguments\.cgroups\.max: must be keyed by a cgroup file name.*got "max"/u,
    ],
    [
      'a cgroup file with a path',
      { cgroups: { '../cpu.max': '1' } },
      /cgroups\.\.\.\/cpu\.max: must be keyed by a cgroup file name/u,
    ],
    [
      'an absolute cgroup file',
      { cgroups: { '/sys/cpu.max': '1' } },
      /must be keyed by a cgroup file name/u,
    ],
    [
      'an empty cgroup value',
      { cgroups: { 'cpu.max': '' } },
      /jailerArguments\.cgroups\.cpu\.max: must be a non-empty cgroup value, got ""/u,
    ],
    ['a cgroup value with "="', { cgroups: { 'io.max': '8:0 rbps=1' } }, /may not contain "="/u],
    [
      'cgroup version 3',
      { cgroupVersion: 3 },
      /jailerArguments\.cgroupVersion: must be 1 or 2, got 3/u,
    ],
    [
      'cgroup version as text',
      { cgroupVersion: '2' },
      /jailerArguments\.cgroupVersion: must be 1 or 2, got "2"/u,
    ],
    [
      'an absolute parent cgroup',
      { parentCgroup: '/kindling' },
      /jailerArguments\.parentCgroup: must be relative/u,
    ],
    [
      'a parent cgroup with ..',
      { parentCgroup: 'a/../b' },
      /jailerArguments\.parentCgroup: must be relative/u,
    ],
    ['a parent cgroup with .', { parentCgroup: './a' }, /must be relative/u],
    [
      'an unknown resource limit',
      { resourceLimits: { cpu: 1 } },
      /^jailerArguments\.resourceLimits\.cpu: unknown key/u,
    ],
    [
      'a negative resource limit',
      { resourceLimits: { maxOpenFiles: -2 } },
      /jailerArguments\.resourceLimits\.maxOpenFiles: /u,
    ],
    [
      'a netns starting with --',
      { netns: '--daemonize' },
      /jailerArguments\.netns: may not start with "--"/u,
    ],
    [
      'an unknown option',
      { chrootDir: '/srv' },
      /^jailerArguments\.chrootDir: unknown key; the keys here are id, execFile/u,
    ],
  ])('rejects %s with ERR_INVALID_INPUT', (_name, patch, pattern) => {
    const error = catchVmmCoreError(
      () => new JailerArguments({ ...REQUIRED, ...patch } as JailerArgumentsOptions),
    );
    expect(error.code).toBe('ERR_INVALID_INPUT');
    expect(error.message).toMatch(pattern);
  });
});
