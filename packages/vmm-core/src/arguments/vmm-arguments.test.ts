// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import type { VmmCoreError } from '../errors.js';
import { Resource, getResourceRecord } from '../resources/resource.js';
import { isVmmId } from '../id/vmm-id.js';
import { FIRECRACKER_FLAGS, findFlag } from './flags.js';
import { VmmArguments, type VmmArgumentsOptions } from './vmm-arguments.js';
import { catchVmmCoreError } from '../../test/support/catch-vmm-core-error.js';

// A resource as the resource system leaves it once initialised for a jailed VMM.
const resource = (virtualPath: string): Resource => {
  const prepared = new Resource(`/host${virtualPath}`, { kind: 'moved', method: 'copy' });
  const record = getResourceRecord(prepared);
  record.state = 'initialized';
  record.effectivePath = `/srv/jailer/firecracker/vm-1/root${virtualPath}`;
  record.virtualPath = virtualPath;
  return prepared;
};

// One case per flag of `firecracker` v1.16.1: the options that set it and the argv they give.
const FLAG_CASES: readonly (readonly [string, VmmArgumentsOptions, readonly string[]])[] = [
  ['--api-sock', { apiSocket: '/run/fc.sock' }, ['--api-sock', '/run/fc.sock']],
  ['--id', { id: 'vm-1' }, ['--id', 'vm-1']],
  ['--config-file', { configFile: '/etc/vm.json' }, ['--config-file', '/etc/vm.json']],
  [
    '--no-api',
    { configFile: '/etc/vm.json', noApi: true },
    ['--config-file', '/etc/vm.json', '--no-api'],
  ],
  ['--metadata', { metadata: resource('/mmds.json') }, ['--metadata', '/mmds.json']],
  ['--log-path', { logPath: '/var/log/fc.log' }, ['--log-path', '/var/log/fc.log']],
  ['--level', { level: 'Debug' }, ['--level', 'Debug']],
  ['--module', { module: 'api_server' }, ['--module', 'api_server']],
  ['--show-level', { showLevel: true }, ['--show-level']],
  ['--show-log-origin', { showLogOrigin: true }, ['--show-log-origin']],
  [
    '--metrics-path',
    { metricsPath: resource('/metrics.fifo') },
    ['--metrics-path', '/metrics.fifo'],
  ],
  ['--boot-timer', { bootTimer: true }, ['--boot-timer']],
  ['--seccomp-filter', { seccompFilter: '/filter.bpf' }, ['--seccomp-filter', '/filter.bpf']],
  ['--no-seccomp', { noSeccomp: true }, ['--no-seccomp']],
  [
    '--start-time-us',
    { startTimeUs: 1_760_000_000_000_000 },
    ['--start-time-us', '1760000000000000'],
  ],
  ['--start-time-cpu-us', { startTimeCpuUs: 42 }, ['--start-time-cpu-us', '42']],
  [
    '--parent-cpu-time-us',
    { parentCpuTimeUs: 18_446_744_073_709_551_615n },
    ['--parent-cpu-time-us', '18446744073709551615'],
  ],
  [
    '--http-api-max-payload-size',
    { httpApiMaxPayloadSize: 102_400 },
    ['--http-api-max-payload-size', '102400'],
  ],
  ['--mmds-size-limit', { mmdsSizeLimit: 0 }, ['--mmds-size-limit', '0']],
  ['--enable-pci', { enablePci: true }, ['--enable-pci']],
  ['--version', { version: true }, ['--version']],
  ['--snapshot-version', { snapshotVersion: true }, ['--snapshot-version']],
  [
    '--describe-snapshot',
    { describeSnapshot: '/snap/vm.state' },
    ['--describe-snapshot', '/snap/vm.state'],
  ],
  ['--help', { help: true }, ['--help']],
];

const ALL_OPTIONS: VmmArgumentsOptions = {
  help: true,
  enablePci: true,
  apiSocket: '/run/fc.sock',
  id: 'vm-1',
  configFile: '/etc/vm.json',
  metadata: '/mmds.json',
  logPath: resource('/logs.fifo'),
  level: 'Warning',
  module: 'vmm',
  showLevel: true,
  showLogOrigin: true,
  metricsPath: '/metrics.json',
  bootTimer: true,
  seccompFilter: '/filter.bpf',
  startTimeUs: 1,
  startTimeCpuUs: 2,
  parentCpuTimeUs: 3,
  httpApiMaxPayloadSize: 4,
  mmdsSizeLimit: 5,
  version: true,
  snapshotVersion: true,
  describeSnapshot: '/vm.state',
};

// Reads argv back with the flag table alone, as the fake VMM does.
const parseWithTable = (args: readonly string[]): Map<string, string | true> => {
  const parsed = new Map<string, string | true>();
  for (let index = 0; index < args.length; index += 1) {
    const spec = findFlag(FIRECRACKER_FLAGS, args[index] ?? '');
    expect(spec, args[index]).toBeDefined();
    expect(parsed.has(spec?.flag ?? ''), `${spec?.flag} twice`).toBe(false);
    if (spec?.kind === 'switch') {
      parsed.set(spec.flag, true);
    } else {
      index += 1;
      parsed.set(spec?.flag ?? '', args[index] ?? '');
    }
  }
  return parsed;
};

describe('VmmArguments', () => {
  it('covers every flag of the table', () => {
    expect(FLAG_CASES.map(([flag]) => flag).toSorted()).toEqual(
      FIRECRACKER_FLAGS.map((spec) => spec.flag).toSorted(),
    );
  });

  it.each(FLAG_CASES)('emits %s as separate argv entries', (_flag, options, expected) => {
    const withoutId = options.id === undefined;
    expect(new VmmArguments(options).toArgs({ withoutId })).toEqual(expected);
  });

  it('emits only a generated id without options, and nothing for false switches', () => {
    const args = new VmmArguments();
    expect(args.toArgs()).toEqual(['--id', args.id]);
    const switchesOff = new VmmArguments({
      showLevel: false,
      bootTimer: false,
      enablePci: false,
      noSeccomp: false,
    });
    expect(switchesOff.toArgs({ withoutId: true })).toEqual([]);
  });

  it('gives every VM a unique id by default, kept by `with`, and never with --version', () => {
    const ids = new Set(Array.from({ length: 100 }, () => new VmmArguments().id));
    expect(ids.size).toBe(100);
    const first = new VmmArguments();
    expect(first.id).toMatch(/^kindling-[0-9a-f]{16}$/u);
    expect(isVmmId(first.id)).toBe(true);
    expect(first.options.id).toBeUndefined();
    expect(first.with({ level: 'Debug' }).id).toBe(first.id);
    expect(first.with({ id: 'vm-2' }).id).toBe('vm-2');
    expect(first.with({ id: 'vm-2' }).with({ id: undefined }).id).toBe(first.id);
    expect(new VmmArguments({ id: 'vm-1' }).id).toBe('vm-1');
    expect(new VmmArguments({ version: true }).toArgs()).toEqual(['--version']);
    expect(new VmmArguments({ describeSnapshot: '/s' }).toArgs()).toEqual([
      '--describe-snapshot',
      '/s',
    ]);
  });

  it('emits all flags once each, in table order, never as --flag=value', () => {
    const args = new VmmArguments(ALL_OPTIONS).toArgs();
    const flags = args.filter((arg) => arg.startsWith('--'));
    const tableOrder = FIRECRACKER_FLAGS.map((spec) => spec.flag).filter((flag) =>
      flags.includes(flag),
    );
    expect(flags).toEqual(tableOrder);
    expect(new Set(flags).size).toBe(flags.length);
    expect(flags.some((flag) => flag.includes('='))).toBe(false);
    expect(flags).toHaveLength(Object.keys(ALL_OPTIONS).length);
    const parsed = parseWithTable(args);
    expect(parsed.get('--log-path')).toBe('/logs.fifo');
    expect(parsed.get('--level')).toBe('Warning');
    expect(parsed.get('--enable-pci')).toBe(true);
  });

  it('lists the resources among the file options and emits their virtual paths', () => {
    const metadata = resource('/jail/mmds.json');
    const seccomp = resource('/jail/filter.bpf');
    const args = new VmmArguments({
      metadata,
      logPath: '/plain.log',
      seccompFilter: seccomp,
    });
    expect(args.resources).toEqual([metadata, seccomp]);
    expect(args.resources[0]).toBe(metadata);
    expect(args.toArgs({ withoutId: true })).toEqual([
      '--metadata',
      '/jail/mmds.json',
      '--log-path',
      '/plain.log',
      '--seccomp-filter',
      '/jail/filter.bpf',
    ]);
  });

  it('fails with ERR_RESOURCE_STATE when a resource has no path yet', () => {
    const unprepared = new Resource('/var/log/vm.log', { kind: 'created', fileType: 'fifo' });
    const args = new VmmArguments({ logPath: unprepared });
    expect(args.resources).toEqual([unprepared]);
    const error = catchVmmCoreError(() => args.toArgs());
    expect(error.code).toBe('ERR_RESOURCE_STATE');
    expect(error.message).toMatch(
      /^vmmArguments\.logPath: the \/var\/log\/vm\.log resource has no path yet \(it is uninitialized\)/u,
    );
    expect((error.cause as VmmCoreError).code).toBe('ERR_RESOURCE_STATE');
  });

  it('checks the path a resource gives like any value', () => {
    const error = catchVmmCoreError(() =>
      new VmmArguments({ metricsPath: resource('--metrics') }).toArgs(),
    );
    expect(error.code).toBe('ERR_INVALID_INPUT');
    expect(error.message).toMatch(/^vmmArguments\.metricsPath: .*got "--metrics"/u);
  });

  it.each([
    [
      '--no-api without --config-file',
      { noApi: true },
      /vmmArguments\.noApi: --no-api requires --config-file .*set configFile too, got true/u,
    ],
    [
      '--seccomp-filter with --no-seccomp',
      { seccompFilter: '/f.bpf', noSeccomp: true },
      /vmmArguments\.seccompFilter: --seccomp-filter cannot be combined with --no-seccomp/u,
    ],
    [
      'an API socket without an API',
      { configFile: '/c.json', noApi: true, apiSocket: '/s' },
      /vmmArguments\.apiSocket: has no effect with noApi.*got "\/s"/u,
    ],
    [
      'an unknown level',
      { level: 'Verbose' },
      /vmmArguments\.level: must be one of "Off", "Trace", "Debug", "Info", "Warn", "Warning", "Error", got "Verbose"/u,
    ],
    ['a lower-case level', { level: 'info' }, /vmmArguments\.level: .*got "info"/u],
    [
      'an invalid id',
      { id: 'my_vm' },
      /vmmArguments\.id: may contain only Unicode letters.*got "my_vm"/u,
    ],
    ['an id of 65 bytes', { id: 'a'.repeat(65) }, /vmmArguments\.id: must be 1 to 64 bytes/u],
    [
      'a value starting with --',
      { apiSocket: '--no-api' },
      /vmmArguments\.apiSocket: may not start with "--".*got "--no-api"/u,
    ],
    [
      'an empty path',
      { configFile: '' },
      /vmmArguments\.configFile: must be a non-empty path.*got ""/u,
    ],
    ['a NUL in a path', { logPath: 'a\0b' }, /vmmArguments\.logPath: .*got "a\\u0000b"/u],
    [
      'a negative size',
      { mmdsSizeLimit: -1 },
      /vmmArguments\.mmdsSizeLimit: must be a non-negative safe integer.*got -1/u,
    ],
    ['a fractional time', { startTimeUs: 1.5 }, /vmmArguments\.startTimeUs: .*got 1\.5/u],
    ['a u64 overflow', { parentCpuTimeUs: 2n ** 64n }, /vmmArguments\.parentCpuTimeUs: .*u64/u],
    [
      'an unsafe integer',
      { httpApiMaxPayloadSize: 2 ** 53 },
      /vmmArguments\.httpApiMaxPayloadSize: /u,
    ],
    ['a switch given as text', { bootTimer: 'yes' }, /vmmArguments\.bootTimer: .*got "yes"/u],
    [
      'an unknown option',
      { apiSock: '/s' },
      /^vmmArguments\.apiSock: unknown key; did you mean apiSocket\?/u,
    ],
    [
      'a look-alike object that is no Resource',
      { metadata: { virtualPath: '/m' } },
      /vmmArguments\.metadata: must be a path to a JSON file or a Resource, got \{"virtualPath":"\/m"\}/u,
    ],
  ])('rejects %s with ERR_INVALID_INPUT', (_name, options, pattern) => {
    const error = catchVmmCoreError(() => new VmmArguments(options as VmmArgumentsOptions));
    expect(error.code).toBe('ERR_INVALID_INPUT');
    expect(error.message).toMatch(pattern);
  });

  it('derives a changed copy with `with`, removing options set to undefined', () => {
    const base = new VmmArguments({ apiSocket: '/a.sock', id: 'vm-1', level: 'Info' });
    const changed = base.with({ id: undefined, apiSocket: '/b.sock', enablePci: true });
    expect(changed.toArgs()).toEqual([
      '--api-sock',
      '/b.sock',
      '--id',
      changed.id,
      '--level',
      'Info',
      '--enable-pci',
    ]);
    expect(changed.id).not.toBe('vm-1');
    expect(base.toArgs()).toEqual(['--api-sock', '/a.sock', '--id', 'vm-1', '--level', 'Info']);
    const error = catchVmmCoreError(() => base.with({ noApi: true }));
    expect(error.message).toMatch(/--no-api requires --config-file/u);
  });
});
