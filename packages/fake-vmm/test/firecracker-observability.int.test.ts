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
  'block_rootfs',
  'block',
  'deprecated_api',
  'get_api_requests',
  'i8042',
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
    await writeFile(vm.path('old.ndjson'), 'x'.repeat(100_000));
    await vm.api('PUT', '/metrics', { metrics_path: vm.path('old.ndjson') });
    await configureBoot(vm);
    await bootTo(vm, 'Running');
    await flush(vm);
    const text = await readFile(vm.path('old.ndjson'), 'utf8');
    expect(text.startsWith('{"utc_timestamp_ms":')).toBe(true);
    expect(text.endsWith('xxxx')).toBe(true);
    expect(text).toHaveLength(100_000);
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
    // Bounded: a line that never comes fails here with its reason, not with the test's timeout.
    const [line] = (await once(reader, 'line', { signal: AbortSignal.timeout(20_000) }).finally(
      () => reader.close(),
    )) as [string];
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
    expect(vm.stdout()).toMatch(/\] Artificially kick devices\n/u);
    expect(vm.stdout()).not.toContain('received a Put request on "/actions"');
  });

  it('does not log MMDS bodies', async () => {
    await using vm = await startFakeVm();
    await vm.api('PUT', '/mmds', { token: 'secret-value' });
    expect(vm.stdout()).toContain('received a Put request on "/mmds".');
    expect(vm.stdout()).not.toContain('secret-value');
  });
});

describe('the log lines of the real v1.16.1 binary', () => {
  // Lines a user's log parser may key on, as a real Firecracker v1.16.1 wrote them (--level Debug,
  // --show-level), with the timestamps and durations left out.
  it('logs requests, durations, boot, pause, resume and snapshot creation', async () => {
    await using vm = await startFakeVm({ args: ['--level', 'Debug', '--show-level'] });
    await vm.api('GET', '/vm/config');
    // No console=ttyS0: the guest's serial output stays out of the log.
    await configureBoot(vm, 'reboot=k panic=1');
    await bootTo(vm, 'Paused');
    await vm.api('PUT', '/snapshot/create', {
      snapshot_path: vm.path('vm.state'),
      mem_file_path: vm.path('vm.mem'),
    });
    await vm.api('PATCH', '/vm', { state: 'Resumed' });
    const lines = vm
      .stdout()
      .split('\n')
      .map((line) => line.replace(/^\S+ /u, '').replaceAll(/\d+ us\./gu, 'N us.'))
      .filter((line) => !line.includes('received a Put request on "/boot-source"'))
      .filter((line) => !line.includes('received a Put request on "/drives/rootfs"'))
      .filter((line) => !line.includes('Disk size'));
    const id = 'anonymous-instance';
    expect(lines.slice(0, 10)).toEqual([
      `[${id}:main:INFO] Running Firecracker v1.16.1`,
      `[${id}:main:INFO] Listening on API socket (${JSON.stringify(vm.socketPath)}).`,
      `[${id}:fc_api:INFO] API server started.`,
      `[${id}:fc_api:INFO] The API server received a Get request on "/vm/config".`,
      `[${id}:main:WARN] If the VM was restored from snapshot, boot-source, machine-config.smt, and machine-config.cpu_template will all be empty.`,
      `[${id}:fc_api:INFO] The request was executed successfully. Status code: 200 OK.`,
      `[${id}:fc_api:DEBUG] Total previous API call duration: N us.`,
      `[${id}:fc_api:INFO] The request was executed successfully. Status code: 204 No Content.`,
      `[${id}:fc_api:DEBUG] Total previous API call duration: N us.`,
      `[${id}:fc_api:INFO] The request was executed successfully. Status code: 204 No Content.`,
    ]);
    expect(lines.slice(11)).toEqual([
      `[${id}:fc_api:INFO] The API server received a Put request on "/actions" with body "{\\"action_type\\":\\"InstanceStart\\"}".`,
      `[${id}:main:DEBUG] event_start: build microvm for boot`,
      `[${id}:main:DEBUG] event_end: build microvm for boot`,
      `[${id}:main:DEBUG] event_start: boot microvm`,
      `[${id}:main:INFO] Artificially kick devices`,
      `[${id}:main:DEBUG] event_end: boot microvm`,
      `[${id}:fc_api:INFO] The request was executed successfully. Status code: 204 No Content.`,
      `[${id}:fc_api:DEBUG] Total previous API call duration: N us.`,
      `[${id}:fc_api:INFO] The API server received a Patch request on "/vm" with body "{\\"state\\":\\"Paused\\"}".`,
      `[${id}:main:INFO] 'pause vm' VMM action took N us.`,
      `[${id}:fc_api:INFO] The request was executed successfully. Status code: 204 No Content.`,
      `[${id}:fc_api:INFO] 'pause vm' API request took N us.`,
      `[${id}:fc_api:DEBUG] Total previous API call duration: N us.`,
      `[${id}:fc_api:INFO] The API server received a Put request on "/snapshot/create" with body "{\\"snapshot_path\\":${JSON.stringify(JSON.stringify(vm.path('vm.state'))).slice(1, -1)},\\"mem_file_path\\":${JSON.stringify(JSON.stringify(vm.path('vm.mem'))).slice(1, -1)}}".`,
      `[${id}:main:INFO] 'create full snapshot' VMM action took N us.`,
      `[${id}:fc_api:INFO] The request was executed successfully. Status code: 204 No Content.`,
      `[${id}:fc_api:INFO] 'create full snapshot' API request took N us.`,
      `[${id}:fc_api:DEBUG] Total previous API call duration: N us.`,
      `[${id}:fc_api:INFO] The API server received a Patch request on "/vm" with body "{\\"state\\":\\"Resumed\\"}".`,
      `[${id}:main:INFO] Artificially kick devices`,
      `[${id}:main:INFO] 'resume vm' VMM action took N us.`,
      `[${id}:fc_api:INFO] The request was executed successfully. Status code: 204 No Content.`,
      `[${id}:fc_api:INFO] 'resume vm' API request took N us.`,
      `[${id}:fc_api:DEBUG] Total previous API call duration: N us.`,
      '',
    ]);
  });

  it('warns about a drive whose size is not a multiple of 512 bytes', async () => {
    await using vm = await startFakeVm({ args: ['--show-level'] });
    await writeFile(vm.path('disk.img'), 'abcdef');
    await vm.api('PUT', '/drives/data', {
      drive_id: 'data',
      path_on_host: vm.path('disk.img'),
      is_root_device: false,
      is_read_only: true,
    });
    expect(vm.stdout()).toContain(
      '[anonymous-instance:main:WARN] Disk size 6 is not a multiple of sector size 512; the remainder will not be visible to the guest.\n',
    );
  });
});
