// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ResourceUsage } from '@kindling/vm';
import { FirecrackerMetricsExporter } from './prometheus-exporter.js';
import type { ResourceUsageSource } from './resource-usage-metrics.js';

const samples = (text: string, name: string): string[] =>
  text.split('\n').filter((line) => line.startsWith(`${name}{`));

const usage = (fields: Partial<ResourceUsage>): ResourceUsage => ({
  cgroupVersion: 1,
  dirs: ['/sys/fs/cgroup/memory/firecracker/vm'],
  ...fields,
});

// A source that answers with the next reading each time it is read, and counts the reads.
const readingsSource = (
  readings: readonly (ResourceUsage | undefined | Error)[],
): ResourceUsageSource & { reads: number } => {
  const source = {
    reads: 0,
    getResourceUsage: (): Promise<ResourceUsage | undefined> => {
      const reading = readings[Math.min(source.reads, readings.length - 1)];
      source.reads += 1;
      return reading instanceof Error ? Promise.reject(reading) : Promise.resolve(reading);
    },
  };
  return source;
};

describe("FirecrackerMetricsExporter's cgroup usage series", () => {
  it('renders a reading as gauges and CPU seconds as a counter, a missing field as no series', async () => {
    const registry = new Registry();
    const exporter = new FirecrackerMetricsExporter({ registry });
    exporter.observeResourceUsage(
      'vm-a',
      usage({
        memoryBytes: 52_428_800,
        memoryLimitBytes: 268_435_456,
        memoryPeakBytes: 60_000_000,
        cpuUsageMicros: 1_500_000,
        pids: 3,
        pidsLimit: 64,
      }),
    );
    exporter.observeResourceUsage('vm-b', usage({ memoryBytes: 1_024, cpuUsageMicros: 250 }));
    const text = await registry.metrics();
    expect(text).toContain('# TYPE kindling_vm_memory_bytes gauge');
    expect(text).toContain('# TYPE kindling_vm_cpu_usage_seconds_total counter');
    expect(samples(text, 'kindling_vm_memory_bytes')).toEqual([
      'kindling_vm_memory_bytes{vm_id="vm-a"} 52428800',
      'kindling_vm_memory_bytes{vm_id="vm-b"} 1024',
    ]);
    expect(samples(text, 'kindling_vm_memory_limit_bytes')).toEqual([
      'kindling_vm_memory_limit_bytes{vm_id="vm-a"} 268435456',
    ]);
    expect(samples(text, 'kindling_vm_memory_peak_bytes')).toEqual([
      'kindling_vm_memory_peak_bytes{vm_id="vm-a"} 60000000',
    ]);
    expect(samples(text, 'kindling_vm_cpu_usage_seconds_total')).toEqual([
      'kindling_vm_cpu_usage_seconds_total{vm_id="vm-a"} 1.5',
      'kindling_vm_cpu_usage_seconds_total{vm_id="vm-b"} 0.00025',
    ]);
    expect(samples(text, 'kindling_vm_pids')).toEqual(['kindling_vm_pids{vm_id="vm-a"} 3']);
    expect(samples(text, 'kindling_vm_pids_limit')).toEqual([
      'kindling_vm_pids_limit{vm_id="vm-a"} 64',
    ]);
    exporter.removeVm('vm-a');
    const after = await registry.metrics();
    expect(after).not.toContain('vm_id="vm-a"');
    expect(after).toContain('kindling_vm_memory_bytes{vm_id="vm-b"} 1024');
  });

  it('counts CPU time from a growing cgroup counter, and anew from a new cgroup', async () => {
    const registry = new Registry();
    const exporter = new FirecrackerMetricsExporter({ registry });
    for (const micros of [1_000_000, 3_000_000, 500_000]) {
      exporter.observeResourceUsage('vm', usage({ cpuUsageMicros: micros }));
    }
    // 1 s, +2 s, then a restored VM's new cgroup at 0.5 s: 3.5 s in all.
    expect(samples(await registry.metrics(), 'kindling_vm_cpu_usage_seconds_total')).toEqual([
      'kindling_vm_cpu_usage_seconds_total{vm_id="vm"} 3.5',
    ]);
  });

  it('reads tracked sources once per scrape; a failed read drops the gauges and is counted', async () => {
    const registry = new Registry();
    const exporter = new FirecrackerMetricsExporter({ registry });
    const source = readingsSource([
      usage({ memoryBytes: 100 }),
      usage({ memoryBytes: 200 }),
      new Error('the cgroup is gone'),
      undefined,
    ]);
    exporter.trackResourceUsage('vm', source);
    expect(exporter.vmIds).toEqual(['vm']);
    expect(samples(await registry.metrics(), 'kindling_vm_memory_bytes')).toEqual([
      'kindling_vm_memory_bytes{vm_id="vm"} 100',
    ]);
    expect(source.reads).toBe(1);
    expect(samples(await registry.metrics(), 'kindling_vm_memory_bytes')).toEqual([
      'kindling_vm_memory_bytes{vm_id="vm"} 200',
    ]);
    const failed = await registry.metrics();
    expect(samples(failed, 'kindling_vm_memory_bytes')).toEqual([]);
    expect(samples(failed, 'kindling_vm_resource_usage_read_errors_total')).toEqual([
      'kindling_vm_resource_usage_read_errors_total{vm_id="vm"} 1',
    ]);
    // No usage (the VM has no cgroup): no series, no error.
    const none = await registry.metrics();
    expect(samples(none, 'kindling_vm_memory_bytes')).toEqual([]);
    expect(samples(none, 'kindling_vm_resource_usage_read_errors_total')).toEqual([
      'kindling_vm_resource_usage_read_errors_total{vm_id="vm"} 1',
    ]);
    expect(source.reads).toBe(4);
    exporter.removeVm('vm');
    await registry.metrics();
    expect(source.reads).toBe(4);
  });

  it('refuses a bad VM id, usage or source', () => {
    const exporter = new FirecrackerMetricsExporter();
    expect(() => exporter.observeResourceUsage('', usage({}))).toThrow(
      'exporter.observeResourceUsage() vmId: must be a non-empty string (the VM\'s id), got ""',
    );
    expect(() => exporter.observeResourceUsage('vm', null as unknown as ResourceUsage)).toThrow(
      'exporter.observeResourceUsage() usage: must be a ResourceUsage (from vm.getResourceUsage()), got null',
    );
    expect(() => exporter.trackResourceUsage('vm', {} as unknown as ResourceUsageSource)).toThrow(
      'exporter.trackResourceUsage() source: must have a getResourceUsage method (a Vm), got {}',
    );
  });
});
