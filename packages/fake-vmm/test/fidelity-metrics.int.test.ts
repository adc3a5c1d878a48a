// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile, writeFile } from 'node:fs/promises';
import { FIRECRACKER_METRIC_KINDS } from '@kindling/vmm-core';
import { describe, expect, it } from 'vitest';
import {
  bootTo,
  configureBoot,
  startFakeVm,
  startFidelityVm,
  type FakeVm,
  type FakeVmOptions,
} from './support/fake-vm.js';

// firecracker.md section 8: the metrics line, compared with the real v1.16.1 binary when
// KINDLING_FIRECRACKER names one.

type MetricsLine = Record<string, unknown>;

const put = async (vm: FakeVm, path: string, body: unknown): Promise<void> => {
  const response = await vm.api('PUT', path, body);
  if (response.status !== 204) {
    throw new Error(`PUT ${path} failed: ${response.raw}`);
  }
};

/**
 * Metrics on, two drives (added out of id order), a network interface and a pmem device, booted
 * (which writes a line) and paused, then two flushes; returns the three lines.
 */
const bootAndFlushTwice = async (
  options: FakeVmOptions,
  start = startFakeVm,
): Promise<MetricsLine[]> => {
  await using vm = await start(options);
  await put(vm, '/metrics', { metrics_path: vm.path('metrics.ndjson') });
  await configureBoot(vm);
  await writeFile(vm.path('data.ext4'), 'data');
  await put(vm, '/drives/data', {
    drive_id: 'data',
    path_on_host: vm.path('data.ext4'),
    is_root_device: false,
    is_read_only: true,
  });
  await put(vm, '/network-interfaces/eth0', { iface_id: 'eth0', host_dev_name: 'tap0' });
  await writeFile(vm.path('pmem.img'), 'pmem');
  await put(vm, '/pmem/pm0', { id: 'pm0', path_on_host: vm.path('pmem.img') });
  await bootTo(vm, 'Paused');
  await put(vm, '/actions', { action_type: 'FlushMetrics' });
  await put(vm, '/actions', { action_type: 'FlushMetrics' });
  return (await readFile(vm.path('metrics.ndjson'), 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as MetricsLine);
};

/** Every key path in order (`block_data.read_agg.min_us`), values left out. */
const keyPaths = (value: unknown, prefix = ''): string[] => {
  const paths: string[] = [];
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      paths.push(`${prefix}${key}`, ...keyPaths(inner, `${prefix}${key}.`));
    }
  }
  return paths;
};

/** The key paths of a group as the shared table lists it (`read_agg` before its fields). */
const tableKeyPaths = (group: string): string[] =>
  Object.keys(FIRECRACKER_METRIC_KINDS[group] ?? {}).flatMap((field) =>
    field.endsWith('.min_us') ? [field.slice(0, -'.min_us'.length), field] : [field],
  );

/** The groups v1.16.1 writes on this host for the devices of `bootAndFlushTwice`, in its order. */
const EXPECTED_GROUPS = [
  'utc_timestamp_ms',
  'api_server',
  'balloon',
  'block_data',
  'block_rootfs',
  'block',
  'deprecated_api',
  'get_api_requests',
  'i8042',
  ...(process.arch === 'arm64' ? ['rtc'] : []),
  'uart',
  'latencies_us',
  'logger',
  'mmds',
  'net_eth0',
  'net',
  'patch_api_requests',
  'put_api_requests',
  'seccomp',
  'vcpu',
  'vmm',
  'signals',
  'vsock',
  'entropy',
  'pmem_pm0',
  'pmem',
  'interrupts',
  'memory_hotplug',
];

const fieldsOf = (line: MetricsLine | undefined, group: string): Record<string, number> =>
  (line?.[group] ?? {}) as Record<string, number>;

describe('metrics fidelity', () => {
  it('writes the groups and fields of the real v1.16.1, in its order', async () => {
    const real = await bootAndFlushTwice({}, startFidelityVm);
    const fakeLines = await bootAndFlushTwice({});
    expect(fakeLines).toHaveLength(3);
    expect(fakeLines.map((line) => keyPaths(line))).toEqual(real.map((line) => keyPaths(line)));
    const [fake] = fakeLines;
    expect(Object.keys({ ...fake })).toEqual(EXPECTED_GROUPS);
    // The shared table's fields, `*_agg` ones nested as objects: one definition for both.
    expect(keyPaths(fake?.['block_data'])).toEqual(tableKeyPaths('block'));
    expect(keyPaths(fake?.['memory_hotplug'])).toEqual(tableKeyPaths('memory_hotplug'));
    expect(fake?.['vcpu']).toMatchObject({
      exit_io_in_agg: { min_us: 0, max_us: 0, sum_us: 0 },
    });
  });

  it('resets deltas on each flush and keeps values', async () => {
    // --start-time-us makes the API server store its start-up time, a value.
    const [booted, first, second] = await bootAndFlushTwice(
      { args: ['--start-time-us', '1'] },
      startFidelityVm,
    );
    // The line written at boot counts the configuration and InstanceStart.
    expect(fieldsOf(booted, 'put_api_requests')).toMatchObject({
      drive_count: 2,
      actions_count: 1,
    });
    expect(fieldsOf(first, 'put_api_requests')).toMatchObject({ drive_count: 0, actions_count: 1 });
    expect(fieldsOf(second, 'put_api_requests')).toMatchObject({
      drive_count: 0,
      actions_count: 1,
    });
    const startup = fieldsOf(booted, 'api_server')['process_startup_time_us'];
    expect(startup).toBeGreaterThan(0);
    expect(fieldsOf(first, 'api_server')['process_startup_time_us']).toBe(startup);
    expect(fieldsOf(second, 'api_server')['process_startup_time_us']).toBe(startup);
    expect(fieldsOf(second, 'latencies_us')['pause_vm']).toBe(
      fieldsOf(first, 'latencies_us')['pause_vm'],
    );
  });
});
