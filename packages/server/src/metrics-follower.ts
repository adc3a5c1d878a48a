// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readMetrics, type FirecrackerMetricsExporter } from '@kindling/ext-metrics';

/** Feeds each VM's metrics FIFO (or file) into the one Prometheus exporter of the server. */
export class MetricsFollower {
  readonly exporter: FirecrackerMetricsExporter;

  constructor(exporter: FirecrackerMetricsExporter) {
    this.exporter = exporter;
  }

  /** Reads a VM's metrics until it ends; a source that cannot be read leaves it without series. */
  follow(id: string, metricsPath: string | undefined, ended: Promise<void>): void {
    if (metricsPath === undefined) {
      return;
    }
    // Metrics are a side channel: a VM whose FIFO cannot be read still runs, without series.
    void readMetrics(metricsPath, { until: ended })
      .then((entries) => this.exporter.follow(id, entries))
      .catch(() => {});
  }

  /** Drops a deleted VM's series. */
  remove(id: string): void {
    this.exporter.removeVm(id);
  }
}
