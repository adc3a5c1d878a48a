// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * How Firecracker reports a metric: `delta` for a `SharedIncMetric` (the increase since the
 * previous flush; serializing it resets it), `value` for a `SharedStoreMetric` (the current value,
 * written as is on every flush).
 */
export type MetricKind = 'delta' | 'value';

/**
 * The kind of every metric of Firecracker v1.16.1 (x86_64 and aarch64), by group and field.
 * Read from Firecracker v1.16.1's `src/vmm/src/logger/metrics.rs` and the device metrics files
 * named before each group (under `src/vmm/src/`); nested objects (the `*_agg` latency
 * aggregates) are flattened with a dot. The device groups `block`, `net` and `pmem` are also
 * written per device as `block_<drive_id>`, `net_<iface_id>` and `pmem_<id>` (sorted by id, before
 * the aggregate group), and `vhost_user_block` only per device as `vhost_user_block_<drive_id>`.
 * `rtc` is written on aarch64 only.
 *
 * Groups and fields are in the order Firecracker serializes them (the field order of
 * `FirecrackerMetrics` and of each metrics struct), so a writer can follow this table as is.
 */
export const FIRECRACKER_METRIC_KINDS: Readonly<
  Record<string, Readonly<Record<string, MetricKind>>>
> = {
  // ApiServerMetrics (src/vmm/src/logger/metrics.rs)
  api_server: {
    process_startup_time_us: 'value',
    process_startup_time_cpu_us: 'value',
  },
  // BalloonDeviceMetrics (src/vmm/src/devices/virtio/balloon/metrics.rs)
  balloon: {
    activate_fails: 'delta',
    inflate_count: 'delta',
    stats_updates_count: 'delta',
    stats_update_fails: 'delta',
    deflate_count: 'delta',
    event_fails: 'delta',
    free_page_report_count: 'delta',
    free_page_report_freed: 'delta',
    free_page_report_fails: 'delta',
    free_page_hint_count: 'delta',
    free_page_hint_freed: 'delta',
    free_page_hint_fails: 'delta',
  },
  // BlockDeviceMetrics (src/vmm/src/devices/virtio/block/virtio/metrics.rs)
  block: {
    activate_fails: 'delta',
    cfg_fails: 'delta',
    no_avail_buffer: 'delta',
    event_fails: 'delta',
    execute_fails: 'delta',
    invalid_reqs_count: 'delta',
    flush_count: 'delta',
    queue_event_count: 'delta',
    rate_limiter_event_count: 'delta',
    update_count: 'delta',
    update_fails: 'delta',
    read_bytes: 'delta',
    write_bytes: 'delta',
    read_count: 'delta',
    write_count: 'delta',
    'read_agg.min_us': 'value',
    'read_agg.max_us': 'value',
    'read_agg.sum_us': 'delta',
    'write_agg.min_us': 'value',
    'write_agg.max_us': 'value',
    'write_agg.sum_us': 'delta',
    rate_limiter_throttled_events: 'delta',
    io_engine_throttled_events: 'delta',
    remaining_reqs_count: 'delta',
  },
  // DeprecatedApiMetrics (src/vmm/src/logger/metrics.rs)
  deprecated_api: {
    deprecated_http_api_calls: 'delta',
  },
  // GetRequestsMetrics (src/vmm/src/logger/metrics.rs)
  get_api_requests: {
    instance_info_count: 'delta',
    machine_cfg_count: 'delta',
    mmds_count: 'delta',
    vmm_version_count: 'delta',
    hotplug_memory_count: 'delta',
  },
  // I8042DeviceMetrics (src/vmm/src/devices/legacy/i8042.rs)
  i8042: {
    error_count: 'delta',
    missed_read_count: 'delta',
    missed_write_count: 'delta',
    read_count: 'delta',
    reset_count: 'delta',
    write_count: 'delta',
  },
  // RTCDeviceMetrics (src/vmm/src/devices/legacy/rtc_pl031.rs)
  rtc: {
    error_count: 'delta',
    missed_read_count: 'delta',
    missed_write_count: 'delta',
  },
  // SerialDeviceMetrics (src/vmm/src/devices/legacy/serial.rs)
  uart: {
    error_count: 'delta',
    flush_count: 'delta',
    missed_read_count: 'delta',
    missed_write_count: 'delta',
    read_count: 'delta',
    write_count: 'delta',
    rate_limiter_dropped_bytes: 'delta',
  },
  // PerformanceMetrics (src/vmm/src/logger/metrics.rs)
  latencies_us: {
    full_create_snapshot: 'value',
    diff_create_snapshot: 'value',
    load_snapshot: 'value',
    pause_vm: 'value',
    resume_vm: 'value',
    vmm_full_create_snapshot: 'value',
    vmm_diff_create_snapshot: 'value',
    vmm_load_snapshot: 'value',
    vmm_pause_vm: 'value',
    vmm_resume_vm: 'value',
  },
  // LoggerSystemMetrics (src/vmm/src/logger/metrics.rs)
  logger: {
    missed_metrics_count: 'delta',
    metrics_fails: 'delta',
    missed_log_count: 'delta',
    rate_limited_log_count: 'delta',
  },
  // MmdsMetrics (src/vmm/src/logger/metrics.rs)
  mmds: {
    rx_accepted: 'delta',
    rx_accepted_err: 'delta',
    rx_accepted_unusual: 'delta',
    rx_bad_eth: 'delta',
    rx_invalid_token: 'delta',
    rx_no_token: 'delta',
    rx_count: 'delta',
    tx_bytes: 'delta',
    tx_count: 'delta',
    tx_errors: 'delta',
    tx_frames: 'delta',
    connections_created: 'delta',
    connections_destroyed: 'delta',
  },
  // NetDeviceMetrics (src/vmm/src/devices/virtio/net/metrics.rs)
  net: {
    activate_fails: 'delta',
    cfg_fails: 'delta',
    mac_address_updates: 'delta',
    no_rx_avail_buffer: 'delta',
    no_tx_avail_buffer: 'delta',
    event_fails: 'delta',
    rx_queue_event_count: 'delta',
    rx_event_rate_limiter_count: 'delta',
    rx_rate_limiter_throttled: 'delta',
    rx_tap_event_count: 'delta',
    rx_bytes_count: 'delta',
    rx_packets_count: 'delta',
    rx_fails: 'delta',
    rx_count: 'delta',
    tap_read_fails: 'delta',
    tap_write_fails: 'delta',
    'tap_write_agg.min_us': 'value',
    'tap_write_agg.max_us': 'value',
    'tap_write_agg.sum_us': 'delta',
    tx_bytes_count: 'delta',
    tx_malformed_frames: 'delta',
    tx_fails: 'delta',
    tx_count: 'delta',
    tx_packets_count: 'delta',
    tx_queue_event_count: 'delta',
    tx_rate_limiter_event_count: 'delta',
    tx_rate_limiter_throttled: 'delta',
    tx_spoofed_mac_count: 'delta',
    tx_remaining_reqs_count: 'delta',
  },
  // PatchRequestsMetrics (src/vmm/src/logger/metrics.rs)
  patch_api_requests: {
    drive_count: 'delta',
    drive_fails: 'delta',
    network_count: 'delta',
    network_fails: 'delta',
    machine_cfg_count: 'delta',
    machine_cfg_fails: 'delta',
    mmds_count: 'delta',
    mmds_fails: 'delta',
    hotplug_memory_count: 'delta',
    hotplug_memory_fails: 'delta',
    pmem_count: 'delta',
    pmem_fails: 'delta',
  },
  // PutRequestsMetrics (src/vmm/src/logger/metrics.rs)
  put_api_requests: {
    actions_count: 'delta',
    actions_fails: 'delta',
    boot_source_count: 'delta',
    boot_source_fails: 'delta',
    drive_count: 'delta',
    drive_fails: 'delta',
    logger_count: 'delta',
    logger_fails: 'delta',
    machine_cfg_count: 'delta',
    machine_cfg_fails: 'delta',
    cpu_cfg_count: 'delta',
    cpu_cfg_fails: 'delta',
    metrics_count: 'delta',
    metrics_fails: 'delta',
    network_count: 'delta',
    network_fails: 'delta',
    mmds_count: 'delta',
    mmds_fails: 'delta',
    vsock_count: 'delta',
    vsock_fails: 'delta',
    pmem_count: 'delta',
    pmem_fails: 'delta',
    serial_count: 'delta',
    serial_fails: 'delta',
    hotplug_memory_count: 'delta',
    hotplug_memory_fails: 'delta',
  },
  // SeccompMetrics (src/vmm/src/logger/metrics.rs)
  seccomp: {
    num_faults: 'value',
  },
  // VcpuMetrics (src/vmm/src/logger/metrics.rs)
  vcpu: {
    exit_io_in: 'delta',
    exit_io_out: 'delta',
    exit_mmio_read: 'delta',
    exit_mmio_write: 'delta',
    failures: 'delta',
    kvmclock_ctrl_fails: 'delta',
    'exit_io_in_agg.min_us': 'value',
    'exit_io_in_agg.max_us': 'value',
    'exit_io_in_agg.sum_us': 'delta',
    'exit_io_out_agg.min_us': 'value',
    'exit_io_out_agg.max_us': 'value',
    'exit_io_out_agg.sum_us': 'delta',
    'exit_mmio_read_agg.min_us': 'value',
    'exit_mmio_read_agg.max_us': 'value',
    'exit_mmio_read_agg.sum_us': 'delta',
    'exit_mmio_write_agg.min_us': 'value',
    'exit_mmio_write_agg.max_us': 'value',
    'exit_mmio_write_agg.sum_us': 'delta',
  },
  // VmmMetrics (src/vmm/src/logger/metrics.rs)
  vmm: {
    panic_count: 'value',
  },
  // SignalMetrics (src/vmm/src/logger/metrics.rs)
  signals: {
    sigbus: 'value',
    sigsegv: 'value',
    sigxfsz: 'value',
    sigxcpu: 'value',
    sigpipe: 'delta',
    sighup: 'value',
    sigill: 'value',
  },
  // VsockDeviceMetrics (src/vmm/src/devices/virtio/vsock/metrics.rs)
  vsock: {
    activate_fails: 'delta',
    cfg_fails: 'delta',
    rx_queue_event_fails: 'delta',
    tx_queue_event_fails: 'delta',
    ev_queue_event_fails: 'delta',
    muxer_event_fails: 'delta',
    conn_event_fails: 'delta',
    rx_queue_event_count: 'delta',
    tx_queue_event_count: 'delta',
    rx_bytes_count: 'delta',
    tx_bytes_count: 'delta',
    rx_packets_count: 'delta',
    tx_packets_count: 'delta',
    conns_added: 'delta',
    conns_killed: 'delta',
    conns_removed: 'delta',
    killq_resync: 'delta',
    tx_flush_fails: 'delta',
    tx_write_fails: 'delta',
    rx_read_fails: 'delta',
  },
  // EntropyDeviceMetrics (src/vmm/src/devices/virtio/rng/metrics.rs)
  entropy: {
    activate_fails: 'delta',
    entropy_event_fails: 'delta',
    entropy_event_count: 'delta',
    entropy_bytes: 'delta',
    host_rng_fails: 'delta',
    entropy_rate_limiter_throttled: 'delta',
    rate_limiter_event_count: 'delta',
  },
  // PmemMetrics (src/vmm/src/devices/virtio/pmem/metrics.rs)
  pmem: {
    activate_fails: 'delta',
    cfg_fails: 'delta',
    event_fails: 'delta',
    queue_event_count: 'delta',
    rate_limiter_throttled_events: 'delta',
    rate_limiter_event_count: 'delta',
  },
  // VhostUserDeviceMetrics (src/vmm/src/devices/virtio/vhost_user_metrics.rs)
  vhost_user_block: {
    activate_fails: 'delta',
    cfg_fails: 'delta',
    init_time_us: 'value',
    activate_time_us: 'value',
    config_change_time_us: 'value',
  },
  // InterruptMetrics (src/vmm/src/logger/metrics.rs)
  interrupts: {
    triggers: 'delta',
    config_updates: 'delta',
  },
  // VirtioMemDeviceMetrics (src/vmm/src/devices/virtio/mem/metrics.rs)
  memory_hotplug: {
    activate_fails: 'delta',
    queue_event_fails: 'delta',
    queue_event_count: 'delta',
    'plug_agg.min_us': 'value',
    'plug_agg.max_us': 'value',
    'plug_agg.sum_us': 'delta',
    plug_count: 'delta',
    plug_bytes: 'delta',
    plug_fails: 'delta',
    'unplug_agg.min_us': 'value',
    'unplug_agg.max_us': 'value',
    'unplug_agg.sum_us': 'delta',
    unplug_count: 'delta',
    unplug_bytes: 'delta',
    unplug_fails: 'delta',
    unplug_discard_fails: 'delta',
    'unplug_all_agg.min_us': 'value',
    'unplug_all_agg.max_us': 'value',
    'unplug_all_agg.sum_us': 'delta',
    unplug_all_count: 'delta',
    unplug_all_fails: 'delta',
    'state_agg.min_us': 'value',
    'state_agg.max_us': 'value',
    'state_agg.sum_us': 'delta',
    state_count: 'delta',
    state_fails: 'delta',
  },
};
