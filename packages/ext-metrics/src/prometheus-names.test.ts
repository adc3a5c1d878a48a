// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { prometheusNameOf } from './prometheus-names.js';

describe('prometheusNameOf', () => {
  it('names a delta a _total counter and a value a gauge', () => {
    expect(prometheusNameOf('put_api_requests', 'actions_count', 'delta', false)).toEqual({
      name: 'firecracker_put_api_requests_actions_count_total',
      divisor: 1,
    });
    expect(prometheusNameOf('signals', 'sigsegv', 'value', false)).toEqual({
      name: 'firecracker_signals_sigsegv',
      divisor: 1,
    });
  });

  it('marks a per-device series and keeps bytes as they are', () => {
    expect(prometheusNameOf('block', 'read_bytes', 'delta', true)).toEqual({
      name: 'firecracker_block_device_read_bytes_total',
      divisor: 1,
    });
  });

  it('turns microseconds into seconds, from the field or from the group', () => {
    expect(prometheusNameOf('vcpu', 'exit_io_in_agg.sum_us', 'delta', false)).toEqual({
      name: 'firecracker_vcpu_exit_io_in_agg_sum_seconds_total',
      divisor: 1e6,
    });
    expect(prometheusNameOf('latencies_us', 'load_snapshot', 'value', false)).toEqual({
      name: 'firecracker_latencies_load_snapshot_seconds',
      divisor: 1e6,
    });
    expect(prometheusNameOf('vhost_user_block', 'init_time_us', 'value', true)).toEqual({
      name: 'firecracker_vhost_user_block_device_init_time_seconds',
      divisor: 1e6,
    });
  });
});
