// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { metricKindOf } from './metric-group.js';
import type { MetricFields, MetricsRecord } from './metrics-record.js';

/**
 * Running totals of one VM's metrics: each delta summed over every line so far, values as last
 * written. Firecracker resets a delta when it writes it, so the sum is the count since start.
 */
export class CumulativeTotals {
  readonly #totals = new Map<string, Map<string, number>>();

  /** Adds a record's deltas and returns the record with its `totals`. */
  add(record: MetricsRecord): MetricsRecord {
    const totals: Record<string, MetricFields> = {};
    for (const [key, fields] of Object.entries(record.groups)) {
      const running = this.#totals.get(key) ?? new Map<string, number>();
      this.#totals.set(key, running);
      const out: Record<string, number> = {};
      for (const [field, value] of Object.entries(fields)) {
        const total =
          metricKindOf(key, field) === 'delta' ? (running.get(field) ?? 0) + value : value;
        running.set(field, total);
        out[field] = total;
      }
      totals[key] = out;
    }
    return { ...record, totals };
  }
}
