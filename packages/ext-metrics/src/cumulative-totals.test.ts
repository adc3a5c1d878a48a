// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { CumulativeTotals } from './cumulative-totals.js';
import type { MetricsRecord } from './metrics-record.js';

const record = (groups: MetricsRecord['groups']): MetricsRecord => ({
  type: 'record',
  timestampMs: 1,
  groups,
  totals: undefined,
  other: {},
});

describe('CumulativeTotals', () => {
  it('sums deltas, keeps the last value of values and of unknown fields', () => {
    const totals = new CumulativeTotals();
    totals.add(record({ block_a: { read_bytes: 10 }, latencies_us: { pause_vm: 5 }, x: { y: 1 } }));
    const second = totals.add(
      record({ block_a: { read_bytes: 3 }, latencies_us: { pause_vm: 2 }, x: { y: 4 } }),
    );
    expect(second.totals).toEqual({
      block_a: { read_bytes: 13 },
      latencies_us: { pause_vm: 2 },
      x: { y: 4 },
    });
    expect(second.groups).toEqual({
      block_a: { read_bytes: 3 },
      latencies_us: { pause_vm: 2 },
      x: { y: 4 },
    });
  });

  it('keeps each device apart', () => {
    const totals = new CumulativeTotals();
    totals.add(record({ block_a: { read_count: 1 }, block_b: { read_count: 5 } }));
    expect(totals.add(record({ block_a: { read_count: 1 } })).totals).toEqual({
      block_a: { read_count: 2 },
    });
  });
});
