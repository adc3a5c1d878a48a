// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { FIRECRACKER_METRIC_KINDS } from './metrics-fields.js';

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
    for (const fields of Object.values(FIRECRACKER_METRIC_KINDS)) {
      const entries = Object.entries(fields);
      entries.forEach(([field], index) => {
        if (field.endsWith('.min_us')) {
          const parent = field.slice(0, -'.min_us'.length);
          expect(entries.slice(index, index + 3)).toEqual([
            [`${parent}.min_us`, 'value'],
            [`${parent}.max_us`, 'value'],
            [`${parent}.sum_us`, 'delta'],
          ]);
        }
      });
    }
    expect(Object.keys(FIRECRACKER_METRIC_KINDS['vcpu'] ?? {})).toContain('exit_io_in_agg.sum_us');
  });
});
