// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { FIRECRACKER_METRIC_KINDS } from './metrics-fields.js';

/** Each `*_agg` parent with the three entries that start at its `min_us`. */
const AGGREGATES = Object.values(FIRECRACKER_METRIC_KINDS).flatMap((fields) => {
  const entries = Object.entries(fields);
  return entries.flatMap(([field], index) =>
    field.endsWith('.min_us')
      ? [[field.slice(0, -'.min_us'.length), entries.slice(index, index + 3)] as const]
      : [],
  );
});

describe('FIRECRACKER_METRIC_KINDS', () => {
  it("lists the groups in FirecrackerMetrics' serialization order", () => {
    expect(Object.keys(FIRECRACKER_METRIC_KINDS)).toEqual([
      'api_server',
      'balloon',
      'block',
      'deprecated_api',
      'get_api_requests',
      'i8042',
      'rtc',
      'uart',
      'latencies_us',
      'logger',
      'mmds',
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
      'vhost_user_block',
      'interrupts',
      'memory_hotplug',
    ]);
  });

  it('has each latency aggregate as min_us and max_us values then a sum_us delta', () => {
    // block 2, net 1, vcpu 4, memory_hotplug 4.
    expect(AGGREGATES).toHaveLength(11);
    for (const [parent, entries] of AGGREGATES) {
      expect(entries).toEqual([
        [`${parent}.min_us`, 'value'],
        [`${parent}.max_us`, 'value'],
        [`${parent}.sum_us`, 'delta'],
      ]);
    }
  });
});
