// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { OutputFile } from './output-file.js';

const BLOCK = [
  'activate_fails',
  'cfg_fails',
  'no_avail_buffer',
  'event_fails',
  'execute_fails',
  'invalid_reqs_count',
  'flush_count',
  'queue_event_count',
  'rate_limiter_event_count',
  'update_count',
  'update_fails',
  'read_bytes',
  'write_bytes',
  'read_count',
  'write_count',
  'rate_limiter_throttled_events',
  'io_engine_throttled_events',
  'remaining_reqs_count',
];

const NET = [
  'activate_fails',
  'cfg_fails',
  'mac_address_updates',
  'no_rx_avail_buffer',
  'no_tx_avail_buffer',
  'event_fails',
  'rx_queue_event_count',
  'rx_event_rate_limiter_count',
  'rx_tap_event_count',
  'rx_bytes_count',
  'rx_packets_count',
  'rx_fails',
  'rx_count',
  'tap_read_fails',
  'tap_write_fails',
  'tx_bytes_count',
  'tx_malformed_frames',
  'tx_fails',
  'tx_count',
  'tx_packets_count',
  'tx_queue_event_count',
  'tx_rate_limiter_event_count',
  'tx_rate_limiter_throttled',
  'tx_spoofed_mac_count',
  'tx_remaining_reqs_count',
];

const PMEM = ['activate_fails', 'cfg_fails', 'event_fails', 'queue_event_count'];

const VHOST_USER_BLOCK = [
  'activate_fails',
  'cfg_fails',
  'init_time_us',
  'activate_time_us',
  'config_change_time_us',
];

/** Every shared metrics group of v1.16.1 on x86_64, in the order Firecracker serializes them. */
const GROUPS: ReadonlyArray<readonly [string, readonly string[]]> = [
  [
    'api_server',
    [
      'process_startup_time_us',
      'process_startup_time_cpu_us',
      'sync_response_fails',
      'sync_vmm_send_timeout_count',
    ],
  ],
  [
    'balloon',
    [
      'activate_fails',
      'inflate_count',
      'stats_updates_count',
      'stats_update_fails',
      'deflate_count',
      'event_fails',
      'free_page_report_count',
      'free_page_report_freed',
      'free_page_report_fails',
      'free_page_hint_count',
      'free_page_hint_freed',
      'free_page_hint_fails',
    ],
  ],
  ['block', BLOCK],
  ['deprecated_api', ['deprecated_http_api_calls', 'deprecated_cmd_line_api_calls']],
  [
    'get_api_requests',
    [
      'instance_info_count',
      'machine_cfg_count',
      'mmds_count',
      'vmm_version_count',
      'hotplug_memory_count',
    ],
  ],
  [
    'i8042',
    [
      'error_count',
      'missed_read_count',
      'missed_write_count',
      'read_count',
      'reset_count',
      'write_count',
    ],
  ],
  [
    'uart',
    [
      'error_count',
      'flush_count',
      'missed_read_count',
      'missed_write_count',
      'read_count',
      'write_count',
    ],
  ],
  [
    'latencies_us',
    [
      'full_create_snapshot',
      'diff_create_snapshot',
      'load_snapshot',
      'pause_vm',
      'resume_vm',
      'vmm_full_create_snapshot',
      'vmm_diff_create_snapshot',
      'vmm_load_snapshot',
      'vmm_pause_vm',
      'vmm_resume_vm',
    ],
  ],
  ['logger', ['missed_metrics_count', 'metrics_fails', 'missed_log_count', 'log_fails']],
  [
    'mmds',
    [
      'rx_accepted',
      'rx_accepted_err',
      'rx_accepted_unusual',
      'rx_bad_eth',
      'rx_invalid_token',
      'rx_no_token',
      'rx_count',
      'tx_bytes',
      'tx_count',
      'tx_errors',
      'tx_frames',
      'connections_created',
      'connections_destroyed',
    ],
  ],
  ['net', NET],
  [
    'patch_api_requests',
    [
      'drive_count',
      'drive_fails',
      'network_count',
      'network_fails',
      'machine_cfg_count',
      'machine_cfg_fails',
      'mmds_count',
      'mmds_fails',
      'hotplug_memory_count',
      'hotplug_memory_fails',
    ],
  ],
  [
    'put_api_requests',
    [
      'actions_count',
      'actions_fails',
      'boot_source_count',
      'boot_source_fails',
      'drive_count',
      'drive_fails',
      'logger_count',
      'logger_fails',
      'machine_cfg_count',
      'machine_cfg_fails',
      'cpu_cfg_count',
      'cpu_cfg_fails',
      'metrics_count',
      'metrics_fails',
      'network_count',
      'network_fails',
      'mmds_count',
      'mmds_fails',
      'vsock_count',
      'vsock_fails',
      'pmem_count',
      'pmem_fails',
      'serial_count',
      'serial_fails',
      'hotplug_memory_count',
      'hotplug_memory_fails',
    ],
  ],
  ['seccomp', ['num_faults']],
  [
    'vcpu',
    [
      'exit_io_in',
      'exit_io_out',
      'exit_mmio_read',
      'exit_mmio_write',
      'failures',
      'kvmclock_ctrl_fails',
    ],
  ],
  ['vmm', ['device_events', 'panic_count']],
  ['signals', ['sigbus', 'sigsegv', 'sigxfsz', 'sigxcpu', 'sigpipe', 'sighup', 'sigill']],
  [
    'vsock',
    [
      'activate_fails',
      'cfg_fails',
      'rx_queue_event_fails',
      'tx_queue_event_fails',
      'ev_queue_event_fails',
      'muxer_event_fails',
      'conn_event_fails',
      'rx_queue_event_count',
      'tx_queue_event_count',
      'rx_bytes_count',
      'tx_bytes_count',
      'rx_packets_count',
      'tx_packets_count',
      'conns_added',
      'conns_killed',
      'conns_removed',
      'killq_resync',
      'tx_flush_fails',
      'tx_write_fails',
      'rx_read_fails',
    ],
  ],
  [
    'entropy',
    [
      'activate_fails',
      'entropy_event_fails',
      'entropy_event_count',
      'entropy_bytes',
      'host_rng_fails',
      'entropy_rate_limiter_throttled',
      'rate_limiter_event_count',
    ],
  ],
  ['pmem', PMEM],
  ['interrupts', ['triggers', 'config_updates']],
  [
    'memory_hotplug',
    [
      'activate_fails',
      'queue_event_fails',
      'queue_event_count',
      'plug_count',
      'plug_bytes',
      'plug_fails',
      'unplug_count',
      'unplug_bytes',
      'unplug_fails',
    ],
  ],
];

// Store metrics hold absolute values; every other metric is a counter reported as a delta.
const STORE_GROUPS = new Set(['latencies_us']);
const STORE_METRICS = new Set(['process_startup_time_us', 'process_startup_time_cpu_us']);

/** The device ids whose per-device groups a flush emits. */
export interface MetricsDevices {
  readonly blocks: readonly string[];
  readonly vhostUserBlocks: readonly string[];
  readonly nets: readonly string[];
  readonly pmems: readonly string[];
}

type Counters = Record<string, number>;

const zeroed = (names: readonly string[]): Counters =>
  Object.fromEntries(names.map((name) => [name, 0]));

/** Raised by `init` when metrics were already initialized. */
export class MetricsAlreadyInitialized extends Error {
  static {
    this.prototype.name = 'MetricsAlreadyInitialized';
  }
}

/**
 * Firecracker's `METRICS`: one NDJSON object per flush with every group, counters as deltas
 * since the previous flush, written to the metrics file or FIFO once initialized.
 */
export class FirecrackerMetrics {
  private readonly groups = new Map<string, Counters>(
    GROUPS.map(([name, fields]) => [name, zeroed(fields)]),
  );
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

  inc(group: string, name: string, by = 1): void {
    const counters = this.groups.get(group);
    if (counters !== undefined && name in counters) {
      counters[name] = (counters[name] ?? 0) + by;
    }
  }

  store(group: string, name: string, value: number): void {
    const counters = this.groups.get(group);
    if (counters !== undefined) {
      counters[name] = value;
    }
  }

  incDevice(group: 'block' | 'net' | 'pmem', id: string, name: string, by = 1): void {
    this.inc(group, name, by);
    const key = `${group}_${id}`;
    const counters =
      this.perDevice.get(key) ?? zeroed(group === 'block' ? BLOCK : group === 'net' ? NET : PMEM);
    counters[name] = (counters[name] ?? 0) + by;
    this.perDevice.set(key, counters);
  }

  private take(group: string, counters: Counters): Counters {
    const snapshot = { ...counters };
    for (const name of Object.keys(counters)) {
      if (!STORE_GROUPS.has(group) && !STORE_METRICS.has(name)) {
        counters[name] = 0;
      }
    }
    return snapshot;
  }

  private takeDevice(key: string, fields: readonly string[]): Counters {
    const counters = this.perDevice.get(key);
    this.perDevice.set(key, zeroed(fields));
    return counters === undefined ? zeroed(fields) : { ...counters };
  }

  /** The next NDJSON line (counters reset), in Firecracker's key order. */
  serialize(devices: MetricsDevices): string {
    const out: Record<string, unknown> = { utc_timestamp_ms: Date.now() };
    for (const [group] of GROUPS) {
      out[group] = this.take(group, this.groups.get(group) ?? {});
      if (group === 'block') {
        for (const id of devices.blocks) {
          out[`block_${id}`] = this.takeDevice(`block_${id}`, BLOCK);
        }
      } else if (group === 'net') {
        for (const id of devices.nets) {
          out[`net_${id}`] = this.takeDevice(`net_${id}`, NET);
        }
      } else if (group === 'pmem') {
        for (const id of devices.pmems) {
          out[`pmem_${id}`] = this.takeDevice(`pmem_${id}`, PMEM);
        }
        for (const id of devices.vhostUserBlocks) {
          out[`vhost_user_block_${id}`] = this.takeDevice(
            `vhost_user_block_${id}`,
            VHOST_USER_BLOCK,
          );
        }
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
