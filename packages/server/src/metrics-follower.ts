// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readMetrics, type FirecrackerMetricsExporter } from '@kindling/ext-metrics';

/** Feeds each VM's metrics FIFO (or file) into the one Prometheus exporter of the server. */
export class MetricsFollower {
  readonly exporter: FirecrackerMetricsExporter;
  /** Stops each VM's reading: a VM deleted before it ever ran has no end to wait for. */
  readonly #readings = new Map<string, AbortController>();

  constructor(exporter: FirecrackerMetricsExporter) {
    this.exporter = exporter;
  }

  /** Reads a VM's metrics until it ends or is removed; a source that cannot be read gives no series. */
  follow(id: string, metricsPath: string | undefined, ended: Promise<void>): void {
    if (metricsPath === undefined) {
      return;
    }
    const reading = new AbortController();
    this.#readings.set(id, reading);
    // Metrics are a side channel: a VM whose FIFO cannot be read still runs, without series.
    void readMetrics(metricsPath, { until: ended, signal: reading.signal })
      .then((entries) => this.exporter.follow(id, entries))
      .catch(() => {});
  }

  /** Stops reading a VM's metrics and drops its series (it is deleted). */
  remove(id: string): void {
    this.#readings.get(id)?.abort();
    this.#readings.delete(id);
    this.exporter.removeVm(id);
  }
}
