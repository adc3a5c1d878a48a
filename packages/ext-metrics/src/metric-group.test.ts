// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { metricGroupOf, metricKindOf } from './metric-group.js';
import { FIRECRACKER_METRIC_KINDS } from '@kindling/vmm-core';

describe('metricGroupOf', () => {
  it('splits per-device keys and leaves shared groups whole', () => {
    expect(metricGroupOf('block_rootfs')).toEqual({ group: 'block', device: 'rootfs' });
    expect(metricGroupOf('net_eth_0')).toEqual({ group: 'net', device: 'eth_0' });
    expect(metricGroupOf('vhost_user_block_data')).toEqual({
      group: 'vhost_user_block',
      device: 'data',
    });
    expect(metricGroupOf('pmem_p0')).toEqual({ group: 'pmem', device: 'p0' });
    expect(metricGroupOf('block')).toEqual({ group: 'block', device: undefined });
    expect(metricGroupOf('put_api_requests')).toEqual({
      group: 'put_api_requests',
      device: undefined,
    });
  });
});

describe('metricKindOf (Firecracker v1.16.1)', () => {
  it('knows the SharedStoreMetric fields as values', () => {
    expect(metricKindOf('api_server', 'process_startup_time_us')).toBe('value');
    expect(metricKindOf('latencies_us', 'load_snapshot')).toBe('value');
    expect(metricKindOf('seccomp', 'num_faults')).toBe('value');
    expect(metricKindOf('signals', 'sigsegv')).toBe('value');
    expect(metricKindOf('vmm', 'panic_count')).toBe('value');
    expect(metricKindOf('vcpu', 'exit_io_in_agg.max_us')).toBe('value');
    expect(metricKindOf('vhost_user_block_data', 'init_time_us')).toBe('value');
  });

  it('knows the SharedIncMetric fields as deltas, per device too', () => {
    expect(metricKindOf('signals', 'sigpipe')).toBe('delta');
    expect(metricKindOf('vcpu', 'exit_io_in_agg.sum_us')).toBe('delta');
    expect(metricKindOf('block_rootfs', 'read_bytes')).toBe('delta');
    expect(metricKindOf('net', 'tap_write_agg.sum_us')).toBe('delta');
    expect(metricKindOf('logger', 'rate_limited_log_count')).toBe('delta');
    expect(metricKindOf('rtc', 'error_count')).toBe('delta');
  });

  it('has no kind for what v1.16.1 does not write', () => {
    expect(metricKindOf('logger', 'log_fails')).toBeUndefined();
    expect(metricKindOf('future_group', 'x')).toBeUndefined();
    expect(metricKindOf('api_server', 'constructor')).toBeUndefined();
  });

  it('covers the 24 groups and 247 fields of v1.16.1, 45 of them values', () => {
    expect(Object.keys(FIRECRACKER_METRIC_KINDS)).toHaveLength(24);
    const kinds = Object.values(FIRECRACKER_METRIC_KINDS).flatMap((fields) =>
      Object.values(fields),
    );
    expect(kinds.filter((kind) => kind === 'value')).toHaveLength(45);
    expect(kinds).toHaveLength(247);
  });
});
