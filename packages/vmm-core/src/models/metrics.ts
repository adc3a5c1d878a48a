// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import {
  expecting,
  ignoreUnknownFields,
  serdeOption,
  wireBoolean,
  wireString,
} from './wire-types.js';

/**
 * The zod schema of a `Metrics` configuration (`PUT /metrics`, before boot and only once, so not
 * after `--metrics-path`; `metrics` in a config file). Firecracker ignores unknown fields here,
 * so parsing drops them.
 *
 * `emit_id` and `properties` exist only in Firecracker newer than v1.16.1; v1.16.1 silently
 * ignores them. Metrics are NDJSON lines flushed every 60 s, on `FlushMetrics` and on exit.
 */
export const metricsSchema = ignoreUnknownFields('Metrics', {
  /** Host path of the metrics file or FIFO (opened without truncating). */
  metrics_path: wireString('a path string'),
  /** Newer than v1.16.1 (ignored by it): add the instance `id` to each metrics line. */
  emit_id: serdeOption(wireBoolean()),
  /** Newer than v1.16.1 (ignored by it): string properties added to each metrics line. */
  properties: serdeOption(
    z.record(wireString('a property name'), wireString(), expecting('an object of string values')),
  ),
});

/**
 * Firecracker's metrics configuration (Rust `MetricsConfig`).
 *
 * @interface
 */
export type MetricsConfig = z.infer<typeof metricsSchema>;
