// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { Counter, Gauge, type Registry } from 'prom-client';
import type { ResourceUsage } from '@kindling/vm';

/** Something whose cgroup usage can be read: a `Vm` (`vm.getResourceUsage()`). */
export interface ResourceUsageSource {
  getResourceUsage(options?: { readonly signal?: AbortSignal }): Promise<ResourceUsage | undefined>;
}

/** How long one scrape waits for a VM's usage before reporting it as not read. */
export const USAGE_READ_TIMEOUT_MS = 5_000;

const MICROS_PER_SECOND = 1_000_000;

type GaugeField = 'memoryBytes' | 'memoryLimitBytes' | 'memoryPeakBytes' | 'pids' | 'pidsLimit';

// Each gauge, the ResourceUsage field it shows, and its help.
const GAUGES: readonly (readonly [GaugeField, string, string])[] = [
  ['memoryBytes', 'kindling_vm_memory_bytes', "Memory the VM's cgroup uses now, in bytes"],
  ['memoryLimitBytes', 'kindling_vm_memory_limit_bytes', "The VM's cgroup memory limit, in bytes"],
  [
    'memoryPeakBytes',
    'kindling_vm_memory_peak_bytes',
    "The most memory the VM's cgroup used, in bytes",
  ],
  ['pids', 'kindling_vm_pids', "Tasks in the VM's cgroup now"],
  ['pidsLimit', 'kindling_vm_pids_limit', "The VM's cgroup task limit"],
];

/**
 * The cgroup usage of VMs as Prometheus series labelled `vm_id`: gauges for memory, its limit and
 * peak, tasks and their limit, and a counter of CPU seconds. A field the cgroup does not give
 * (its controller is absent, or no limit is set) has no series. Usage is pushed
 * (`observe`), or read from tracked sources at each scrape.
 */
export class ResourceUsageMetrics {
  readonly #gauges: readonly (readonly [GaugeField, Gauge<'vm_id'>])[];
  readonly #cpu: Counter<'vm_id'>;
  readonly #readErrors: Counter<'vm_id'>;
  readonly #cpuSeen = new Map<string, number>();
  readonly #sources = new Map<string, ResourceUsageSource>();
  #reading: Promise<void> | undefined;

  constructor(registers: Registry[]) {
    // prom-client collects every metric of a scrape at once: the first collect starts one read
    // of every source, and the others wait for that same read.
    const collect = (): Promise<void> => this.#readSources();
    this.#gauges = GAUGES.map(
      ([field, name, help]) =>
        [field, new Gauge({ name, help, labelNames: ['vm_id'], registers, collect })] as const,
    );
    this.#cpu = new Counter({
      name: 'kindling_vm_cpu_usage_seconds_total',
      help: "CPU time the VM's cgroup used, in seconds",
      labelNames: ['vm_id'],
      registers,
      collect,
    });
    this.#readErrors = new Counter({
      name: 'kindling_vm_resource_usage_read_errors_total',
      help: "Scrapes at which a tracked VM's cgroup usage could not be read",
      labelNames: ['vm_id'],
      registers,
      collect,
    });
  }

  /** Sets the series of a VM from one reading of its cgroups. */
  observe(vmId: string, usage: ResourceUsage): void {
    for (const [field, gauge] of this.#gauges) {
      const value = usage[field];
      if (value === undefined) {
        gauge.remove({ vm_id: vmId });
      } else {
        gauge.set({ vm_id: vmId }, value);
      }
    }
    const micros = usage.cpuUsageMicros;
    if (micros === undefined) {
      return;
    }
    const seen = this.#cpuSeen.get(vmId);
    // The cgroup's counter only grows; a lower one is a new cgroup (a restored VM), counted anew.
    const added = seen === undefined || micros < seen ? micros : micros - seen;
    this.#cpuSeen.set(vmId, micros);
    this.#cpu.inc({ vm_id: vmId }, added / MICROS_PER_SECOND);
  }

  /** Reads a source's usage at every scrape until `remove(vmId)`. */
  track(vmId: string, source: ResourceUsageSource): void {
    this.#sources.set(vmId, source);
  }

  /** Removes a VM's series and stops reading its source. */
  remove(vmId: string): void {
    this.#sources.delete(vmId);
    this.#cpuSeen.delete(vmId);
    for (const [, gauge] of this.#gauges) {
      gauge.remove({ vm_id: vmId });
    }
    this.#cpu.remove({ vm_id: vmId });
    this.#readErrors.remove({ vm_id: vmId });
  }

  #readSources(): Promise<void> {
    this.#reading ??= this.#readAll().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #readAll(): Promise<void> {
    await Promise.all(
      [...this.#sources].map(async ([vmId, source]) => {
        let usage: ResourceUsage | undefined;
        try {
          usage = await source.getResourceUsage({
            signal: AbortSignal.timeout(USAGE_READ_TIMEOUT_MS),
          });
        } catch {
          // A scrape must not fail for one VM (it may be ending): its series go, the error counts.
          this.#readErrors.inc({ vm_id: vmId });
          usage = undefined;
        }
        if (this.#sources.get(vmId) !== source) {
          return;
        }
        if (usage === undefined) {
          for (const [, gauge] of this.#gauges) {
            gauge.remove({ vm_id: vmId });
          }
          return;
        }
        this.observe(vmId, usage);
      }),
    );
  }
}
