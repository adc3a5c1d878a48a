// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import {
  FIRECRACKER_METRIC_KINDS,
  FirecrackerMetricsExporter,
  metricGroupOf,
  metricKindOf,
  readMetrics,
  vmEnded,
} from '../src/index.js';
import { fieldOf, recordOf } from './support/entries.js';
import { nextWithin, takeWithin } from './support/iterate.js';
import { createMetricsVmFolder, isRealBackend, NEEDS_FAKE } from './support/metrics-vm.js';

describe.each([
  { source: 'file', fifo: false },
  { source: 'FIFO', fifo: true },
])("a VM's metrics $source", ({ fifo }) => {
  it('gives a record per on-demand flush, counters as deltas, totals summed; ends with the VM', async () => {
    await using folder = await createMetricsVmFolder();
    const { vm, metricsPath } = await folder.startVm('flush', { fifo });
    const entries = (
      await readMetrics(metricsPath, { until: vmEnded(vm), cumulative: true, pollIntervalMs: 20 })
    )[Symbol.asyncIterator]();
    await vm.flushMetrics();
    const first = recordOf((await nextWithin(entries)).value);
    await vm.flushMetrics();
    const second = recordOf((await nextWithin(entries)).value);
    // Firecracker's groups, the drive's own among them.
    expect(Object.keys(first.groups)).toEqual(
      expect.arrayContaining([
        'api_server',
        'block',
        'block_rootfs',
        'put_api_requests',
        'vcpu',
        'vmm',
      ]),
    );
    // One PUT /machine-config before the first flush, none since: a delta, then its running total.
    expect(first.groups['put_api_requests']?.['machine_cfg_count']).toBe(1);
    expect(second.groups['put_api_requests']?.['machine_cfg_count']).toBe(0);
    expect(second.totals?.['put_api_requests']?.['machine_cfg_count']).toBe(1);
    // A value is written as is on every flush.
    expect(second.groups['api_server']?.['process_startup_time_us']).toBe(
      first.groups['api_server']?.['process_startup_time_us'],
    );
    expect(second.timestampMs).toBeGreaterThanOrEqual(Number(first.timestampMs));
    await vm.shutdown([{ method: 'kill' }]);
    // Nothing else is left but what the process wrote as it ended; then the entries end.
    for (
      let result = await nextWithin(entries);
      result.done !== true;
      result = await nextWithin(entries)
    ) {
      expect(result.value.type).toBe('record');
    }
  });

  it('keeps every line of a burst of flushes: Firecracker never misses a write', async () => {
    await using folder = await createMetricsVmFolder();
    const { vm, metricsPath } = await folder.startVm('burst', { fifo });
    const entries = (await readMetrics(metricsPath, { until: vmEnded(vm), pollIntervalMs: 20 }))[
      Symbol.asyncIterator
    ]();
    const reading = takeWithin(entries, 30);
    for (let flush = 0; flush < 30; flush += 1) {
      await vm.flushMetrics();
    }
    const records = (await reading).map(recordOf);
    expect(records.map((record) => record.groups['logger']?.['missed_metrics_count'])).toEqual(
      Array.from({ length: 30 }, () => 0),
    );
    const actions = records.reduce(
      (sum, record) => sum + fieldOf(record, 'put_api_requests', 'actions_count'),
      0,
    );
    // InstanceStart and every flush but (perhaps) the last, counted once each across the deltas.
    expect(actions).toBeGreaterThanOrEqual(30);
    expect(actions).toBeLessThanOrEqual(31);
  });
});

describe('periodic flushes', () => {
  it.skipIf(isRealBackend)(`come without asking, each a record ${NEEDS_FAKE}`, async () => {
    await using folder = await createMetricsVmFolder({ metricsPeriodMs: 100 });
    const { vm, metricsPath } = await folder.startVm('periodic', { fifo: true });
    const entries = (await readMetrics(metricsPath, { until: vmEnded(vm) }))[
      Symbol.asyncIterator
    ]();
    const records = (await takeWithin(entries, 3)).map(recordOf);
    expect(records.map((record) => Object.keys(record.groups).includes('vcpu'))).toEqual([
      true,
      true,
      true,
    ]);
    expect(records[2]?.timestampMs).toBeGreaterThan(Number(records[0]?.timestampMs));
  });
});

describe('the Prometheus exporter following VMs', () => {
  it("exports each VM's series while it runs and removes them when it ends", async () => {
    await using folder = await createMetricsVmFolder();
    const exporter = new FirecrackerMetricsExporter();
    const started = await Promise.all(
      ['vm-a', 'vm-b'].map((name) => folder.startVm(name, { fifo: true })),
    );
    const following = started.map(({ vm, metricsPath }, index) =>
      readMetrics(metricsPath, { until: vmEnded(vm) }).then((entries) =>
        exporter.follow(`vm-${index}`, entries),
      ),
    );
    const seriesOf = async (vmId: string) =>
      (await exporter.registry.getMetricsAsJSON())
        .flatMap((metric) => metric.values.map((value) => ({ name: metric.name, ...value })))
        .filter((value) => value.labels['vm_id'] === vmId);
    for (const { vm } of started) {
      await vm.flushMetrics();
    }
    // Wait (bounded) for both VMs' first line to be observed.
    await expect
      .poll(async () => (await seriesOf('vm-1')).length, { timeout: 10_000, interval: 20 })
      .toBeGreaterThan(100);
    expect(await seriesOf('vm-0')).toContainEqual(
      expect.objectContaining({
        name: 'firecracker_put_api_requests_machine_cfg_count_total',
        value: 1,
      }),
    );
    expect(await seriesOf('vm-0')).toContainEqual(
      expect.objectContaining({
        name: 'firecracker_block_device_read_bytes_total',
        labels: { vm_id: 'vm-0', device: 'rootfs' },
      }),
    );
    await started[0]?.vm.shutdown([{ method: 'kill' }]);
    await following[0];
    expect(await seriesOf('vm-0')).toEqual([]);
    expect((await seriesOf('vm-1')).length).toBeGreaterThan(100);
    expect(exporter.vmIds).toEqual(['vm-1']);
    await started[1]?.vm.shutdown([{ method: 'kill' }]);
    await following[1];
    expect(exporter.vmIds).toEqual([]);
  });
});

describe('the v1.16.1 table', () => {
  // The fake writes exactly the real v1.16.1 groups and fields (fake-vmm's fidelity-metrics test).
  it('has a kind for every field Firecracker writes, and every group', async () => {
    await using folder = await createMetricsVmFolder();
    const { vm, metricsPath } = await folder.startVm('table', { fifo: true });
    const entries = (await readMetrics(metricsPath, { until: vmEnded(vm) }))[
      Symbol.asyncIterator
    ]();
    await vm.flushMetrics();
    const record = recordOf((await nextWithin(entries)).value);
    const unknown = Object.entries(record.groups).flatMap(([key, fields]) =>
      Object.keys(fields)
        .filter((field) => metricKindOf(key, field) === undefined)
        .map((field) => `${key}.${field}`),
    );
    expect(unknown).toEqual([]);
    const groups = new Set(Object.keys(record.groups).map((key) => metricGroupOf(key).group));
    // rtc is aarch64's; vhost_user_block only comes with a vhost-user drive.
    expect([...groups].toSorted()).toEqual(
      Object.keys(FIRECRACKER_METRIC_KINDS)
        .filter((group) => !['rtc', 'vhost_user_block'].includes(group))
        .toSorted(),
    );
    await vm.shutdown([{ method: 'kill' }]);
  });
});
