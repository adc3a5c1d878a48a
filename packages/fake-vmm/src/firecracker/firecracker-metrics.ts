// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { FIRECRACKER_METRIC_KINDS, type MetricKind } from '@kindling/vmm-core';
import { OutputFile } from './output-file.js';

/** The groups written per device (`block_<id>` …, sorted by id) and then once aggregated. */
const PER_DEVICE_GROUPS = new Set(['block', 'net', 'pmem']);
/** Written per device only (`vhost_user_block_<drive_id>`), never aggregated. */
const ONLY_PER_DEVICE_GROUP = 'vhost_user_block';
/** `rtc` (the PL031 real-time clock) exists on aarch64 only. */
const ARCH_GROUPS: Readonly<Record<string, boolean>> = { rtc: process.arch === 'arm64' };

/** The shared (not per-device-only) groups this host's Firecracker writes, in its order. */
const SHARED_GROUPS = Object.keys(FIRECRACKER_METRIC_KINDS).filter(
  (group) => group !== ONLY_PER_DEVICE_GROUP && (ARCH_GROUPS[group] ?? true),
);

/** The device ids whose per-device groups a flush emits. */
export interface MetricsDevices {
  readonly blocks: readonly string[];
  readonly vhostUserBlocks: readonly string[];
  readonly nets: readonly string[];
  readonly pmems: readonly string[];
}

/** A group's current values by field (`read_agg.min_us` flattened as in the shared table). */
type Counters = Record<string, number>;

const kindsOf = (group: string): Readonly<Record<string, MetricKind>> =>
  FIRECRACKER_METRIC_KINDS[group] ?? {};

const zeroed = (group: string): Counters =>
  Object.fromEntries(Object.keys(kindsOf(group)).map((name) => [name, 0]));

/** Raised by `init` when metrics were already initialized. */
export class MetricsAlreadyInitialized extends Error {
  static {
    this.prototype.name = 'MetricsAlreadyInitialized';
  }
}

/**
 * Firecracker's `METRICS`: one NDJSON object per flush with every group and field of v1.16.1
 * (`FIRECRACKER_METRIC_KINDS`, in its order), deltas since the previous flush and values as
 * they stand, written to the metrics file or FIFO once initialized.
 */
export class FirecrackerMetrics {
  private readonly groups = new Map<string, Counters>(
    SHARED_GROUPS.map((group) => [group, zeroed(group)]),
  );
  /** Keyed by the written key (`block_rootfs`); created on first use, as Firecracker allocates. */
  private readonly perDevice = new Map<string, Counters>();
  private file: OutputFile | undefined;

  get initialized(): boolean {
    return this.file !== undefined;
  }

  /** Opens the metrics path (creating it even when already initialized, as Firecracker does). */
  init(path: string): void {
    const file = new OutputFile(path);
    if (this.file !== undefined) {
      file.close();
      throw new MetricsAlreadyInitialized('Reinitialization of metrics not allowed.');
    }
    this.file = file;
  }

  /** Adds to a field (a `SharedIncMetric`'s `add`); fields v1.16.1 does not have are ignored. */
  inc(group: string, name: string, by = 1): void {
    const counters = this.groups.get(group);
    if (counters !== undefined && Object.hasOwn(counters, name)) {
      counters[name] = (counters[name] ?? 0) + by;
    }
  }

  /** Sets a field (a `SharedStoreMetric`'s `store`); fields v1.16.1 does not have are ignored. */
  store(group: string, name: string, value: number): void {
    const counters = this.groups.get(group);
    if (counters !== undefined && Object.hasOwn(counters, name)) {
      counters[name] = value;
    }
  }

  /** Adds to a device's field and to its group's aggregate (the sum of the devices' deltas). */
  incDevice(group: 'block' | 'net' | 'pmem', id: string, name: string, by = 1): void {
    this.inc(group, name, by);
    const counters = this.deviceCounters(group, id);
    if (Object.hasOwn(counters, name)) {
      counters[name] = (counters[name] ?? 0) + by;
    }
  }

  private deviceCounters(group: string, id: string): Counters {
    const key = `${group}_${id}`;
    const existing = this.perDevice.get(key);
    if (existing !== undefined) {
      return existing;
    }
    const created = zeroed(group);
    this.perDevice.set(key, created);
    return created;
  }

  /**
   * The group as Firecracker writes it: `*_agg` fields nested as objects, then every delta
   * (`SharedIncMetric`) reset while values (`SharedStoreMetric`) keep theirs.
   */
  private static take(group: string, counters: Counters): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [field, kind] of Object.entries(kindsOf(group))) {
      const value = counters[field] ?? 0;
      const dot = field.indexOf('.');
      if (dot === -1) {
        out[field] = value;
      } else {
        const parent = field.slice(0, dot);
        const nested = (out[parent] ?? {}) as Record<string, number>;
        nested[field.slice(dot + 1)] = value;
        out[parent] = nested;
      }
      if (kind === 'delta') {
        counters[field] = 0;
      }
    }
    return out;
  }

  /** The next NDJSON line (deltas reset), in Firecracker's key order. */
  serialize(devices: MetricsDevices): string {
    const out: Record<string, unknown> = { utc_timestamp_ms: Date.now() };
    const perDeviceIds: Readonly<Record<string, readonly string[]>> = {
      block: devices.blocks,
      net: devices.nets,
      pmem: devices.pmems,
      [ONLY_PER_DEVICE_GROUP]: devices.vhostUserBlocks,
    };
    for (const group of Object.keys(FIRECRACKER_METRIC_KINDS)) {
      if (group === ONLY_PER_DEVICE_GROUP || PER_DEVICE_GROUPS.has(group)) {
        // A BTreeMap by id in Firecracker: sorted, before the aggregate.
        for (const id of [...(perDeviceIds[group] ?? [])].toSorted()) {
          out[`${group}_${id}`] = FirecrackerMetrics.take(group, this.deviceCounters(group, id));
        }
      }
      const counters = this.groups.get(group);
      if (counters !== undefined) {
        out[group] = FirecrackerMetrics.take(group, counters);
      }
    }
    return `${JSON.stringify(out)}\n`;
  }

  /** Writes one line if initialized; true when written (false: not initialized, or a full FIFO). */
  flush(devices: MetricsDevices): boolean {
    if (this.file === undefined) {
      return false;
    }
    const written = this.file.write(Buffer.from(this.serialize(devices)));
    if (!written) {
      this.inc('logger', 'missed_metrics_count');
    }
    return written;
  }

  close(): void {
    this.file?.close();
    this.file = undefined;
  }
}
