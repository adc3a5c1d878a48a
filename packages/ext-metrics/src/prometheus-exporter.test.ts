// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { metricsLine } from '../test/support/metrics-line.js';
import type { MetricsEntry } from './metrics-record.js';
import { parseMetricsLine } from './parse-line.js';
import { FirecrackerMetricsExporter } from './prometheus-exporter.js';
import { serveMetrics } from './serve-metrics.js';

const entry = (n: number): MetricsEntry => {
  const [parsed] = parseMetricsLine(metricsLine(n).trim());
  if (parsed === undefined) {
    throw new Error('no entry');
  }
  return parsed;
};

/** The sample lines of one metric family in the exposition text. */
const samples = (text: string, name: string): string[] =>
  text.split('\n').filter((line) => line.startsWith(`${name}{`));

describe('FirecrackerMetricsExporter', () => {
  it('sums deltas into _total counters and sets values as gauges, labelled by VM and device', async () => {
    const registry = new Registry();
    const exporter = new FirecrackerMetricsExporter({ registry });
    exporter.observe('vm-a', entry(1));
    exporter.observe('vm-a', entry(2));
    exporter.observe('vm-b', entry(5));
    const text = await registry.metrics();
    expect(text).toContain('# TYPE firecracker_block_read_count_total counter');
    expect(samples(text, 'firecracker_block_read_count_total')).toEqual([
      'firecracker_block_read_count_total{vm_id="vm-a"} 3',
      'firecracker_block_read_count_total{vm_id="vm-b"} 5',
    ]);
    expect(samples(text, 'firecracker_block_device_read_bytes_total')).toEqual([
      'firecracker_block_device_read_bytes_total{vm_id="vm-a",device="rootfs"} 1536',
      'firecracker_block_device_read_bytes_total{vm_id="vm-b",device="rootfs"} 2560',
    ]);
    // A value in microseconds: a gauge in seconds.
    expect(text).toContain('# TYPE firecracker_latencies_pause_vm_seconds gauge');
    expect(samples(text, 'firecracker_latencies_pause_vm_seconds')).toEqual([
      'firecracker_latencies_pause_vm_seconds{vm_id="vm-a"} 0.000002',
      'firecracker_latencies_pause_vm_seconds{vm_id="vm-b"} 0.000005',
    ]);
    expect(samples(text, 'firecracker_api_server_process_startup_time_seconds')).toEqual([
      'firecracker_api_server_process_startup_time_seconds{vm_id="vm-a"} 0.0009',
      'firecracker_api_server_process_startup_time_seconds{vm_id="vm-b"} 0.0009',
    ]);
    expect(samples(text, 'firecracker_signals_sigpipe_total')).toHaveLength(2);
    expect(samples(text, 'firecracker_signals_sigsegv')).toHaveLength(2);
    expect(samples(text, 'firecracker_metrics_last_flush_timestamp_seconds')).toEqual([
      'firecracker_metrics_last_flush_timestamp_seconds{vm_id="vm-a"} 1700000000.002',
      'firecracker_metrics_last_flush_timestamp_seconds{vm_id="vm-b"} 1700000000.005',
    ]);
    expect(exporter.vmIds).toEqual(['vm-a', 'vm-b']);
  });

  it('counts malformed lines and skips groups and fields v1.16.1 does not have', async () => {
    const exporter = new FirecrackerMetricsExporter();
    exporter.observe('vm-a', { type: 'malformed', reason: 'torn', text: '{"utc' });
    for (const parsed of parseMetricsLine(
      '{"utc_timestamp_ms":1,"future":{"x":1},"logger":{"log_fails":2}}',
    )) {
      exporter.observe('vm-a', parsed);
    }
    const text = await exporter.registry.metrics();
    expect(samples(text, 'firecracker_metrics_malformed_lines_total')).toEqual([
      'firecracker_metrics_malformed_lines_total{vm_id="vm-a"} 1',
    ]);
    expect(text).not.toMatch(/firecracker_future|log_fails/u);
  });

  it('removes every series of a VM that is gone, and only those', async () => {
    const exporter = new FirecrackerMetricsExporter();
    exporter.observe('vm-a', entry(1));
    exporter.observe('vm-b', entry(1));
    const before = (await exporter.registry.getMetricsAsJSON()).flatMap((metric) => metric.values);
    exporter.removeVm('vm-a');
    const after = (await exporter.registry.getMetricsAsJSON()).flatMap((metric) => metric.values);
    expect(after.length * 2).toBe(before.length);
    expect(after.every((value) => value.labels['vm_id'] === 'vm-b')).toBe(true);
    expect(exporter.vmIds).toEqual(['vm-b']);
  });

  it('follows entries to their end, then removes the VM', async () => {
    const exporter = new FirecrackerMetricsExporter();
    const seen: number[] = [];
    async function* entries() {
      yield entry(1);
      seen.push(
        (await exporter.registry.getMetricsAsJSON()).flatMap((metric) => metric.values).length,
      );
      yield entry(2);
    }
    await exporter.follow('vm-a', entries());
    // Two startup times, two block and two block_rootfs counters, a latency, two signals, the flush time.
    expect(seen).toEqual([10]);
    expect((await exporter.registry.getMetricsAsJSON()).flatMap((metric) => metric.values)).toEqual(
      [],
    );
  });

  it('refuses a bad VM id or registry with ERR_INVALID_INPUT', () => {
    const exporter = new FirecrackerMetricsExporter();
    expect(() => exporter.observe('', entry(1))).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: expect.stringMatching(/^exporter\.observe\(\) vmId:/u),
      }),
    );
    expect(() => new FirecrackerMetricsExporter({ registry: {} as Registry })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });

  it('refuses a registry that another exporter already fills, and leaves it as it was', async () => {
    const first = new FirecrackerMetricsExporter();
    first.observe('vm-a', entry(2));
    const before = await first.registry.metrics();
    expect(() => new FirecrackerMetricsExporter({ registry: first.registry })).toThrow(
      expect.objectContaining({
        name: 'MetricsError',
        code: 'ERR_INVALID_INPUT',
        message: expect.stringMatching(
          /^new FirecrackerMetricsExporter options\.registry: already holds .*pass a new Registry$/u,
        ),
      }),
    );
    expect(await first.registry.metrics()).toBe(before);
  });
});

describe('serveMetrics', () => {
  it('serves the registry at /metrics and nothing elsewhere', async () => {
    const exporter = new FirecrackerMetricsExporter();
    exporter.observe('vm-a', entry(4));
    await using server = await serveMetrics(exporter.registry, { port: 0 });
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('firecracker_block_read_count_total{vm_id="vm-a"} 4');
    expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
  });
});
