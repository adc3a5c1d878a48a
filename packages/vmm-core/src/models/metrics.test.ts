// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { metricsSchema } from './metrics.js';

describe('metricsSchema', () => {
  it('requires metrics_path', () => {
    expect(metricsSchema.parse({ metrics_path: '/tmp/m.fifo' })).toEqual({
      metrics_path: '/tmp/m.fifo',
    });
    expect(metricsSchema.safeParse({}).success).toBe(false);
  });

  it('accepts emit_id and properties, which are newer than v1.16.1', () => {
    const body = { metrics_path: '/m', emit_id: true, properties: { host: 'h1', zone: 'a' } };
    expect(metricsSchema.parse(body)).toEqual(body);
    expect(metricsSchema.safeParse({ metrics_path: '/m', properties: { n: 1 } }).success).toBe(
      false,
    );
  });

  it('drops unknown fields, which MetricsConfig ignores', () => {
    expect(metricsSchema.parse({ metrics_path: '/m', format: 'json' })).toEqual({
      metrics_path: '/m',
    });
  });
});
