// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { FirecrackerMetrics, type MetricsDevices } from './firecracker-metrics.js';

type Line = Record<string, Record<string, unknown>>;

const DEVICES: MetricsDevices = {
  blocks: ['rootfs', 'data'],
  vhostUserBlocks: ['vu'],
  nets: ['eth0'],
  pmems: [],
};

const serialize = (metrics: FirecrackerMetrics, devices = DEVICES): Line =>
  JSON.parse(metrics.serialize(devices)) as Line;

describe('FirecrackerMetrics', () => {
  it('resets deltas on each serialization and keeps values', () => {
    const metrics = new FirecrackerMetrics();
    metrics.inc('put_api_requests', 'drive_count', 2);
    metrics.store('latencies_us', 'pause_vm', 7);
    metrics.store('signals', 'sighup', 1);
    metrics.inc('signals', 'sigpipe');
    const first = serialize(metrics);
    const second = serialize(metrics);
    expect(first['put_api_requests']?.['drive_count']).toBe(2);
    expect(second['put_api_requests']?.['drive_count']).toBe(0);
    expect([first['latencies_us']?.['pause_vm'], second['latencies_us']?.['pause_vm']]).toEqual([
      7, 7,
    ]);
    expect([first['signals']?.['sighup'], second['signals']?.['sighup']]).toEqual([1, 1]);
    expect([first['signals']?.['sigpipe'], second['signals']?.['sigpipe']]).toEqual([1, 0]);
  });

  it('writes each device (sorted by id) before its aggregate, vhost-user drives alone', () => {
    const metrics = new FirecrackerMetrics();
    metrics.incDevice('block', 'rootfs', 'read_count', 3);
    metrics.incDevice('block', 'data', 'read_count', 4);
    const line = serialize(metrics);
    const keys = Object.keys(line);
    expect(keys.slice(keys.indexOf('block_data'), keys.indexOf('block') + 1)).toEqual([
      'block_data',
      'block_rootfs',
      'block',
    ]);
    expect(keys.slice(keys.indexOf('net_eth0'), keys.indexOf('net') + 1)).toEqual([
      'net_eth0',
      'net',
    ]);
    expect(keys.slice(keys.indexOf('pmem'), keys.indexOf('interrupts') + 1)).toEqual([
      'pmem',
      'vhost_user_block_vu',
      'interrupts',
    ]);
    expect(keys).not.toContain('vhost_user_block');
    expect([line['block_data'], line['block_rootfs'], line['block']]).toMatchObject([
      { read_count: 4 },
      { read_count: 3 },
      { read_count: 7 },
    ]);
    expect(serialize(metrics)['block_rootfs']?.['read_count']).toBe(0);
  });

  it('nests the latency aggregates and ignores fields v1.16.1 does not write', () => {
    const metrics = new FirecrackerMetrics();
    metrics.inc('logger', 'log_fails');
    metrics.inc('vmm', 'device_events');
    const line = serialize(metrics);
    expect(line['block']?.['read_agg']).toEqual({ min_us: 0, max_us: 0, sum_us: 0 });
    expect(line['logger']).not.toHaveProperty('log_fails');
    expect(line['vmm']).toEqual({ panic_count: 0 });
  });
});
