// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { Counter, Gauge, Registry } from 'prom-client';
import { describeValue } from '@kindling/helpers';
import { MetricsError } from './errors.js';
import { metricGroupOf } from './metric-group.js';
import { FIRECRACKER_METRIC_KINDS } from '@kindling/vmm-core';
import type { MetricsEntry } from './metrics-record.js';
import { DEVICE_GROUPS, PER_DEVICE_ONLY, prometheusNameOf } from './prometheus-names.js';
import type { ResourceUsage } from '@kindling/vm';
import { ResourceUsageMetrics, type ResourceUsageSource } from './resource-usage-metrics.js';

type Labels = 'vm_id' | 'device';
const LAST_FLUSH_NAME = 'firecracker_metrics_last_flush_timestamp_seconds';
interface Family {
  readonly metric: Counter<Labels> | Gauge<Labels>;
  /** What Firecracker's number is divided by (microseconds to seconds). */
  readonly divisor: number;
}

/** What `new FirecrackerMetricsExporter` takes. */
export interface FirecrackerMetricsExporterOptions {
  /** The registry the metrics are registered in. Default: a new one, as `exporter.registry`. */
  readonly registry?: Registry;
}

const invalid = (message: string) => new MetricsError('ERR_INVALID_INPUT', message);

const checkVmId = (vmId: unknown, method: string): string => {
  if (typeof vmId !== 'string' || vmId === '') {
    throw invalid(
      `exporter.${method} vmId: must be a non-empty string (the VM's id), got ${describeValue(vmId)}`,
    );
  }
  return vmId;
};

/**
 * Firecracker's metrics as Prometheus counters and gauges for one VM or many, each series
 * labelled `vm_id` (and `device` for a drive's, an interface's or a pmem device's own series).
 * A delta (`SharedIncMetric`) adds to a counter `firecracker_<group>_<field>_total`; a value
 * (`SharedStoreMetric`) sets a gauge `firecracker_<group>_<field>`. Only v1.16.1's metrics are
 * exported (another version's extra fields are skipped), so the names are known in advance.
 * A VM's cgroup usage (`vm.getResourceUsage()`, for a VM with `profile.limits`) adds
 * `kindling_vm_memory_bytes`, `kindling_vm_memory_limit_bytes`, `kindling_vm_memory_peak_bytes`,
 * `kindling_vm_pids`, `kindling_vm_pids_limit` and `kindling_vm_cpu_usage_seconds_total`, pushed
 * (`observeResourceUsage`) or read at each scrape (`trackResourceUsage`).
 * Remove a VM that is gone (`removeVm`, or let `follow` do it) so the series stay bounded.
 */
export class FirecrackerMetricsExporter {
  readonly registry: Registry;
  readonly #families = new Map<string, Family>();
  readonly #malformed: Counter<'vm_id'>;
  readonly #lastFlush: Gauge<'vm_id'>;
  readonly #usage: ResourceUsageMetrics;
  /** Per VM, the devices it has series for (to remove them with the VM). */
  readonly #devices = new Map<string, Set<string>>();

  constructor(options: FirecrackerMetricsExporterOptions = {}) {
    // null is no options, as undefined is.
    const registry = (options as FirecrackerMetricsExporterOptions | null)?.registry;
    if (registry !== undefined && !(registry instanceof Registry)) {
      throw invalid(
        `new FirecrackerMetricsExporter options.registry: must be a prom-client Registry, got ${describeValue(registry)}`,
      );
    }
    // prom-client would throw a bare Error at the first name taken, after nothing useful.
    if (registry?.getSingleMetric(LAST_FLUSH_NAME) !== undefined) {
      throw invalid(
        `new FirecrackerMetricsExporter options.registry: already holds a FirecrackerMetricsExporter's metrics (${LAST_FLUSH_NAME}); use that exporter for every VM, or pass a new Registry`,
      );
    }
    this.registry = registry ?? new Registry();
    const registers = [this.registry];
    for (const [group, fields] of Object.entries(FIRECRACKER_METRIC_KINDS)) {
      for (const perDevice of DEVICE_GROUPS.has(group) ? [false, true] : [false]) {
        if (!perDevice && PER_DEVICE_ONLY.has(group)) {
          continue;
        }
        for (const [field, kind] of Object.entries(fields)) {
          const { name, divisor } = prometheusNameOf(group, field, kind, perDevice);
          const source = `${perDevice ? `${group}_<id>` : group}.${field}`;
          const help = `Firecracker's ${source} (${kind === 'delta' ? 'the sum of its flush deltas' : 'its last value'}${divisor === 1 ? '' : ', in seconds'})`;
          const labelNames: Labels[] = perDevice ? ['vm_id', 'device'] : ['vm_id'];
          const metric =
            kind === 'delta'
              ? new Counter({ name, help, labelNames, registers })
              : new Gauge({ name, help, labelNames, registers });
          this.#families.set(`${perDevice ? 'device:' : ''}${group}.${field}`, { metric, divisor });
        }
      }
    }
    this.#malformed = new Counter({
      name: 'firecracker_metrics_malformed_lines_total',
      help: 'Metrics lines that were torn or garbled',
      labelNames: ['vm_id'],
      registers,
    });
    this.#lastFlush = new Gauge({
      name: LAST_FLUSH_NAME,
      help: 'utc_timestamp_ms of the last metrics line, in seconds',
      labelNames: ['vm_id'],
      registers,
    });
    this.#usage = new ResourceUsageMetrics(registers);
  }

  /** The VMs with series now. */
  get vmIds(): readonly string[] {
    return [...this.#devices.keys()];
  }

  /** Adds one entry of a VM's metrics (from `readMetrics`). */
  observe(vmId: string, entry: MetricsEntry): void {
    checkVmId(vmId, 'observe()');
    const devices = this.#devices.get(vmId) ?? new Set<string>();
    this.#devices.set(vmId, devices);
    if (entry.type === 'malformed') {
      this.#malformed.inc({ vm_id: vmId });
      return;
    }
    if (entry.timestampMs !== undefined) {
      this.#lastFlush.set({ vm_id: vmId }, entry.timestampMs / 1000);
    }
    for (const [key, fields] of Object.entries(entry.groups)) {
      const { group, device } = metricGroupOf(key);
      const prefix = device === undefined ? '' : 'device:';
      for (const [field, value] of Object.entries(fields)) {
        const family = this.#families.get(`${prefix}${group}.${field}`);
        if (family === undefined) {
          continue;
        }
        const labels = device === undefined ? { vm_id: vmId } : { vm_id: vmId, device };
        if (device !== undefined) {
          devices.add(device);
        }
        if (family.metric instanceof Counter) {
          // A delta is never negative; a counter that went down would be a reset, never a delta.
          family.metric.inc(labels, Math.max(0, value / family.divisor));
        } else {
          family.metric.set(labels, value / family.divisor);
        }
      }
    }
  }

  /** Sets a VM's cgroup series from one reading (`vm.getResourceUsage()`). */
  observeResourceUsage(vmId: string, usage: ResourceUsage): void {
    checkVmId(vmId, 'observeResourceUsage()');
    if (typeof usage !== 'object' || usage === null) {
      throw invalid(
        `exporter.observeResourceUsage() usage: must be a ResourceUsage (from vm.getResourceUsage()), got ${describeValue(usage)}`,
      );
    }
    this.#devices.set(vmId, this.#devices.get(vmId) ?? new Set<string>());
    this.#usage.observe(vmId, usage);
  }

  /**
   * Reads a VM's cgroup usage at every scrape (each read bounded by 5 000 ms) until
   * `removeVm(vmId)`. A read that fails drops the VM's gauges for that scrape and counts in
   * `kindling_vm_resource_usage_read_errors_total`; a VM without usage has no such series.
   */
  trackResourceUsage(vmId: string, source: ResourceUsageSource): void {
    checkVmId(vmId, 'trackResourceUsage()');
    if (typeof (source as Partial<ResourceUsageSource> | null)?.getResourceUsage !== 'function') {
      throw invalid(
        `exporter.trackResourceUsage() source: must have a getResourceUsage method (a Vm), got ${describeValue(source)}`,
      );
    }
    this.#devices.set(vmId, this.#devices.get(vmId) ?? new Set<string>());
    this.#usage.track(vmId, source);
  }

  /** Removes every series of a VM (it is gone), so that the exporter's size stays bounded. */
  removeVm(vmId: string): void {
    checkVmId(vmId, 'removeVm()');
    const devices = this.#devices.get(vmId);
    if (devices === undefined) {
      return;
    }
    this.#devices.delete(vmId);
    this.#usage.remove(vmId);
    this.#malformed.remove({ vm_id: vmId });
    this.#lastFlush.remove({ vm_id: vmId });
    for (const [key, family] of this.#families) {
      if (key.startsWith('device:')) {
        for (const device of devices) {
          family.metric.remove({ vm_id: vmId, device });
        }
      } else {
        family.metric.remove({ vm_id: vmId });
      }
    }
  }

  /**
   * Observes every entry of a VM's metrics until they end (the VM ended, or reading was aborted),
   * then removes the VM.
   */
  async follow(vmId: string, entries: AsyncIterable<MetricsEntry>): Promise<void> {
    checkVmId(vmId, 'follow()');
    try {
      for await (const entry of entries) {
        this.observe(vmId, entry);
      }
    } finally {
      this.removeVm(vmId);
    }
  }
}
