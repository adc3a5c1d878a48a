// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Reading Firecracker's metrics file or FIFO as entries: records and malformed lines. */
export { readMetrics, type ReadMetricsOptions } from './read-metrics.js';
export type {
  MalformedMetricsLine,
  MetricFields,
  MetricsEntry,
  MetricsRecord,
} from './metrics-record.js';
/** A promise for `readMetrics`' `until`: the end of a `Vm`'s process. */
export { vmEnded, type EndingVm } from './vm-ended.js';
/** Which fields are deltas and which are values (Firecracker v1.16.1), and the groups' keys. */
export { FIRECRACKER_METRIC_KINDS, type MetricKind } from '@kindling/vmm-core';
export { metricGroupOf, metricKindOf, type MetricGroup } from './metric-group.js';
/** Summing deltas into running totals (what `cumulative: true` does). */
export { CumulativeTotals } from './cumulative-totals.js';
/** Parsing one line, as `readMetrics` does. */
export { parseMetricsLine } from './parse-line.js';
/** The Prometheus exporter, its names, and a quick `/metrics` server. */
export {
  FirecrackerMetricsExporter,
  type FirecrackerMetricsExporterOptions,
} from './prometheus-exporter.js';
export { prometheusNameOf, type PrometheusName } from './prometheus-names.js';
/** What `exporter.trackResourceUsage()` reads: a `Vm`, or anything with `getResourceUsage`. */
export type { ResourceUsageSource } from './resource-usage-metrics.js';
export { serveMetrics, type MetricsServer, type ServeMetricsOptions } from './serve-metrics.js';
/** The error every call throws, with a stable `code` from `MetricsErrorCode`. */
export { MetricsError, type MetricsErrorCode } from './errors.js';
