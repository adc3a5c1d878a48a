// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { bootTo, configureBoot, startFakeVm, type FakeVm } from './support/fake-vm.js';

// firecracker.md section 8: metrics and logs.

const TOP_LEVEL_KEYS = [
  'utc_timestamp_ms',
  'api_server',
  'balloon',
  'block',
  'block_rootfs',
  'deprecated_api',
  'get_api_requests',
  'i8042',
  'uart',
  'latencies_us',
  'logger',
  'mmds',
  'net',
  'net_eth0',
  'patch_api_requests',
  'put_api_requests',
  'seccomp',
  'vcpu',
  'vmm',
  'signals',
  'vsock',
  'entropy',
  'pmem',
  'interrupts',
  'memory_hotplug',
];

type Metrics = Record<string, Record<string, number>>;

const metricLines = async (path: string): Promise<Metrics[]> =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Metrics);

const flush = async (vm: FakeVm): Promise<void> => {
  expect((await vm.api('PUT', '/actions', { action_type: 'FlushMetrics' })).status).toBe(204);
};

describe('metrics', () => {
  it('flushes one NDJSON object with the real top-level keys, counters as deltas', async () => {
    await using vm = await startFakeVm();
    await vm.api('PUT', '/metrics', { metrics_path: vm.path('metrics.ndjson') });
    await configureBoot(vm);
    await vm.api('PUT', '/network-interfaces/eth0', { iface_id: 'eth0', host_dev_name: 'tap0' });
    await vm.api('PUT', '/drives/bad-id', {});
    await bootTo(vm, 'Running');
    await flush(vm);
    await flush(vm);
    const [first, second] = await metricLines(vm.path('metrics.ndjson'));
    expect(Object.keys({ ...first })).toEqual(TOP_LEVEL_KEYS);
    expect(first?.put_api_requests).toMatchObject({
      drive_count: 2,
      drive_fails: 1,
      network_count: 1,
      metrics_count: 1,
    });
    expect(second?.put_api_requests).toMatchObject({
      drive_count: 0,
      drive_fails: 0,
      actions_count: 1,
    });
    expect(typeof first?.utc_timestamp_ms).toBe('number');
  });

  it('flushes periodically once the VM runs, and on exit', async () => {
    await using vm = await startFakeVm({ env: { KINDLING_FAKE_METRICS_PERIOD_MS: '40' } });
    await vm.api('PUT', '/metrics', { metrics_path: vm.path('periodic.ndjson') });
    await configureBoot(vm);
    expect(await metricLines(vm.path('periodic.ndjson'))).toEqual([]);
    await bootTo(vm, 'Running');
    await expect
      .poll(async () => (await metricLines(vm.path('periodic.ndjson'))).length)
      .toBeGreaterThanOrEqual(2);
    const before = (await metricLines(vm.path('periodic.ndjson'))).length;
    await vm.api('PUT', '/actions', { action_type: 'SendCtrlAltDel' });
    expect((await vm.exited).code).toBe(0);
    expect((await metricLines(vm.path('periodic.ndjson'))).length).toBeGreaterThan(before);
  });

  it('opens the file without truncating it, as Firecracker does', async () => {
    await using vm = await startFakeVm();
    await writeFile(vm.path('old.ndjson'), 'x'.repeat(10_000));
    await vm.api('PUT', '/metrics', { metrics_path: vm.path('old.ndjson') });
    await configureBoot(vm);
    await bootTo(vm, 'Running');
    await flush(vm);
    const text = await readFile(vm.path('old.ndjson'), 'utf8');
    expect(text.startsWith('{"utc_timestamp_ms":')).toBe(true);
    expect(text.endsWith('xxxx')).toBe(true);
    expect(text).toHaveLength(10_000);
  });

  it('writes into a FIFO without blocking on open, for a reader that comes later', async () => {
    await using vm = await startFakeVm();
    execFileSync('mkfifo', [vm.path('metrics.fifo')]);
    expect(
      (await vm.api('PUT', '/metrics', { metrics_path: vm.path('metrics.fifo') })).status,
    ).toBe(204);
    await configureBoot(vm);
    await bootTo(vm, 'Running');
    await flush(vm);
    const reader = createInterface({ input: createReadStream(vm.path('metrics.fifo')) });
    const [line] = (await once(reader, 'line')) as [string];
    reader.close();
    expect(Object.keys(JSON.parse(line) as object)).toEqual(
      TOP_LEVEL_KEYS.filter((key) => key !== 'net_eth0'),
    );
  });
});

describe('logs', () => {
  const LINE =
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9} \[vm-1:fc_api\] The API server received a Get request on "\/"\.$/mu;

  it("writes Firecracker's line format to stdout by default", async () => {
    await using vm = await startFakeVm({ args: ['--id', 'vm-1'] });
    await vm.api('GET', '/');
    expect(vm.stdout()).toMatch(LINE);
    expect(vm.stdout()).toMatch(/\[vm-1:main\] Running Firecracker v1\.16\.1\n/u);
  });

  it('writes to --log-path with level and origin, and filters by level', async () => {
    await using vm = await startFakeVm({
      args: [
        '--id',
        'vm-1',
        '--log-path',
        '/dev/null',
        '--level',
        'Warn',
        '--show-level',
        '--show-log-origin',
      ],
    });
    await vm.api('PUT', '/logger', {
      log_path: vm.path('fc.log'),
      level: 'Warning',
      show_level: true,
    });
    await vm.api('PUT', '/machine-config', {
      vcpu_count: 1,
      mem_size_mib: 128,
      cpu_template: 'None',
    });
    await vm.api('GET', '/');
    const log = await readFile(vm.path('fc.log'), 'utf8');
    expect(log).toMatch(
      /^\S+ \[vm-1:fc_api:WARN:src\/firecracker\/src\/api_server\/parsed_request\.rs:\d+\] PUT \/machine-config: cpu_template field is deprecated\.$/mu,
    );
    expect(log).not.toContain('The API server received');
    expect(vm.stdout()).not.toContain('The API server received');
  });

  it('resets the level to Info on a PUT /logger without one, and filters by module', async () => {
    await using vm = await startFakeVm({ args: ['--level', 'Error'] });
    await vm.api('GET', '/version');
    expect(vm.stdout()).not.toContain('received a Get request on "/version"');
    await vm.api('PUT', '/logger', {});
    await vm.api('GET', '/machine-config');
    expect(vm.stdout()).toContain('received a Get request on "/machine-config"');
    await vm.api('PUT', '/logger', { module: 'vmm' });
    await configureBoot(vm);
    await bootTo(vm, 'Running');
    expect(vm.stdout()).toContain('Artificially kick devices.');
    expect(vm.stdout()).not.toContain('received a Put request on "/actions"');
  });

  it('does not log MMDS bodies', async () => {
    await using vm = await startFakeVm();
    await vm.api('PUT', '/mmds', { token: 'secret-value' });
    expect(vm.stdout()).toContain('received a Put request on "/mmds".');
    expect(vm.stdout()).not.toContain('secret-value');
  });
});
