// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Schema } from './serde/deserialize.js';
import {
  bool,
  checked,
  field,
  option,
  path,
  string,
  struct,
  u16,
  u32,
  u64,
  u8,
  unitEnum,
  usize,
  value,
  vec,
} from './serde/schema-builders.js';

// Every request body of Firecracker v1.16.1 (x86_64), field by field in Rust declaration order,
// because serde's "expected one of" lists follow that order.

const MAC_GROUP = /^(?:[0-9a-fA-F]{2}|\+[0-9a-fA-F])$/u;

/** Whether a text is a MAC address as `MacAddr::from_str` accepts it (`u8::from_str_radix` allows `+f`). */
export const isMacAddress = (text: string): boolean => {
  const groups = text.split(':');
  return groups.length === 6 && groups.every((group) => MAC_GROUP.test(group));
};

const LEVELS = new Set(['off', 'trace', 'debug', 'info', 'warn', 'warning', 'error']);

/** Whether a text is a log level as Firecracker's `LevelFilter` deserializer accepts it. */
export const isLogLevel = (text: string): boolean => LEVELS.has(text.toLowerCase());

const isIpv4Address = (text: string): boolean => {
  const octets = text.split('.');
  return (
    octets.length === 4 &&
    octets.every((octet) => /^(?:0|[1-9]\d{0,2})$/u.test(octet) && Number(octet) <= 255)
  );
};

const macAddress = checked(string, (decoded) =>
  isMacAddress(String(decoded)) ? undefined : 'The provided MAC address is invalid.',
);
const levelFilter = checked(string, (decoded) =>
  isLogLevel(String(decoded)) ? undefined : 'Invalid LevelFilter',
);
const ipv4Address = checked(
  { kind: 'string', expecting: 'IPv4 address' },
  (decoded) => (isIpv4Address(String(decoded)) ? undefined : 'invalid IPv4 address syntax'),
  true,
);

/** `TokenBucketConfig` (accepts unknown fields). */
export const TOKEN_BUCKET = struct(
  'TokenBucketConfig',
  [field('size', u64), field('one_time_burst', option(u64)), field('refill_time', u64)],
  false,
);

/** `RateLimiterConfig`. */
export const RATE_LIMITER = struct('RateLimiterConfig', [
  field('bandwidth', option(TOKEN_BUCKET)),
  field('ops', option(TOKEN_BUCKET)),
]);

/** `BootSourceConfig` (PUT /boot-source). */
export const BOOT_SOURCE = struct('BootSourceConfig', [
  field('kernel_image_path', string),
  field('initrd_path', option(string)),
  field('boot_args', option(string)),
]);

/** The x86_64 `StaticCpuTemplate` variants, in declaration order. */
export const STATIC_CPU_TEMPLATES = ['C3', 'T2', 'T2S', 'None', 'T2CL', 'T2A'] as const;
const cpuTemplate = unitEnum(...STATIC_CPU_TEMPLATES);
const hugePages = unitEnum('None', '2M');

/** `MachineConfig` (PUT /machine-config, and `machine-config` of the config file). */
export const MACHINE_CONFIG = struct('MachineConfig', [
  field('vcpu_count', u8),
  field('mem_size_mib', usize),
  field('smt', bool, true),
  field('cpu_template', option(cpuTemplate), true),
  field('track_dirty_pages', bool, true),
  field('huge_pages', hugePages, true),
]);

/** `MachineConfigUpdate` (PATCH /machine-config). */
export const MACHINE_CONFIG_UPDATE = struct('MachineConfigUpdate', [
  field('vcpu_count', option(u8), true),
  field('mem_size_mib', option(usize), true),
  field('smt', option(bool), true),
  field('cpu_template', option(cpuTemplate), true),
  field('track_dirty_pages', option(bool), true),
  field('huge_pages', option(hugePages), true),
]);

/** `BlockDeviceConfig` (PUT /drives/{id}). */
export const DRIVE = struct('BlockDeviceConfig', [
  field('drive_id', string),
  field('partuuid', option(string)),
  field('is_root_device', bool),
  field('cache_type', unitEnum('Unsafe', 'Writeback'), true),
  field('is_read_only', option(bool), true),
  field('path_on_host', option(string), true),
  field('rate_limiter', option(RATE_LIMITER), true),
  field('io_engine', option(unitEnum('Async', 'Sync')), true),
  field('socket', option(string), true),
]);

/** `BlockDeviceUpdateConfig` (PATCH /drives/{id}). */
export const DRIVE_UPDATE = struct('BlockDeviceUpdateConfig', [
  field('drive_id', string),
  field('path_on_host', option(string)),
  field('rate_limiter', option(RATE_LIMITER)),
]);

/** `NetworkInterfaceConfig` (PUT /network-interfaces/{id}). */
export const NETWORK_INTERFACE = struct('NetworkInterfaceConfig', [
  field('iface_id', string),
  field('host_dev_name', string),
  field('guest_mac', option(macAddress)),
  field('rx_rate_limiter', option(RATE_LIMITER)),
  field('tx_rate_limiter', option(RATE_LIMITER)),
  field('mtu', option(u16)),
]);

/** `NetworkInterfaceUpdateConfig` (PATCH /network-interfaces/{id}). */
export const NETWORK_INTERFACE_UPDATE = struct('NetworkInterfaceUpdateConfig', [
  field('iface_id', string),
  field('rx_rate_limiter', option(RATE_LIMITER)),
  field('tx_rate_limiter', option(RATE_LIMITER)),
]);

/** `VsockDeviceConfig` (PUT /vsock). */
export const VSOCK = struct('VsockDeviceConfig', [
  field('vsock_id', option(string), true),
  field('guest_cid', u32),
  field('uds_path', string),
]);

/** `EntropyDeviceConfig` (PUT /entropy). */
export const ENTROPY = struct('EntropyDeviceConfig', [
  field('rate_limiter', option(RATE_LIMITER), true),
]);

/** `BalloonDeviceConfig` (PUT /balloon). */
export const BALLOON = struct('BalloonDeviceConfig', [
  field('amount_mib', u32),
  field('deflate_on_oom', bool),
  field('stats_polling_interval_s', u16, true),
  field('free_page_hinting', bool, true),
  field('free_page_reporting', bool, true),
]);

/** `BalloonUpdateConfig` (PATCH /balloon). */
export const BALLOON_UPDATE = struct('BalloonUpdateConfig', [field('amount_mib', u32)]);

/** `BalloonUpdateStatsConfig` (PATCH /balloon/statistics). */
export const BALLOON_STATS_UPDATE = struct('BalloonUpdateStatsConfig', [
  field('stats_polling_interval_s', u16),
]);

/** `StartHintingCmd` (PATCH /balloon/hinting/start; accepts unknown fields). */
export const BALLOON_HINTING_START = struct(
  'StartHintingCmd',
  [field('acknowledge_on_stop', bool, true)],
  false,
);

/** `LoggerConfig` (PUT /logger). */
export const LOGGER = struct('LoggerConfig', [
  field('log_path', option(path)),
  field('level', option(levelFilter)),
  field('show_level', option(bool)),
  field('show_log_origin', option(bool)),
  field('module', option(string)),
]);

/** `MetricsConfig` (PUT /metrics; accepts unknown fields, so HEAD's `emit_id` is ignored). */
export const METRICS = struct('MetricsConfig', [field('metrics_path', path)], false);

/** `SerialConfig` (PUT /serial). */
export const SERIAL = struct('SerialConfig', [
  field('serial_out_path', option(path), true),
  field('rate_limiter', option(TOKEN_BUCKET), true),
]);

/** `MmdsConfig` (PUT /mmds/config). */
export const MMDS_CONFIG = struct('MmdsConfig', [
  field('version', unitEnum('V1', 'V2'), true),
  field('network_interfaces', vec(string)),
  field('ipv4_address', option(ipv4Address), true),
  field('imds_compat', bool, true),
]);

/** `MemoryHotplugConfig` (PUT /hotplug/memory). */
export const MEMORY_HOTPLUG = struct('MemoryHotplugConfig', [
  field('total_size_mib', usize),
  field('block_size_mib', usize, true),
  field('slot_size_mib', usize, true),
]);

/** `MemoryHotplugSizeUpdate` (PATCH /hotplug/memory). */
export const MEMORY_HOTPLUG_UPDATE = struct('MemoryHotplugSizeUpdate', [
  field('requested_size_mib', usize),
]);

/** `PmemConfig` (PUT /pmem/{id}). */
export const PMEM = struct('PmemConfig', [
  field('id', string),
  field('path_on_host', string),
  field('root_device', bool, true),
  field('read_only', bool, true),
  field('rate_limiter', option(RATE_LIMITER), true),
]);

/** `PmemUpdateConfig` (PATCH /pmem/{id}). */
export const PMEM_UPDATE = struct('PmemUpdateConfig', [
  field('id', string),
  field('rate_limiter', option(RATE_LIMITER)),
]);

/** `ActionBody` (PUT /actions). */
export const ACTION = struct('ActionBody', [
  field('action_type', unitEnum('FlushMetrics', 'InstanceStart', 'SendCtrlAltDel')),
]);

/** `Vm` (PATCH /vm). */
export const VM_STATE = struct('Vm', [field('state', unitEnum('Paused', 'Resumed'))]);

/** `CreateSnapshotParams` (PUT /snapshot/create). */
export const SNAPSHOT_CREATE = struct('CreateSnapshotParams', [
  field('snapshot_type', unitEnum('Diff', 'Full'), true),
  field('snapshot_path', path),
  field('mem_file_path', path),
]);

const MEM_BACKEND = struct('MemBackendConfig', [
  field('backend_path', path),
  field('backend_type', unitEnum('File', 'Uffd')),
]);

const NETWORK_OVERRIDE = struct(
  'NetworkOverride',
  [field('iface_id', string), field('host_dev_name', string)],
  false,
);

const VSOCK_OVERRIDE = struct('VsockOverride', [field('uds_path', string)], false);

/** `LoadSnapshotConfig` (PUT /snapshot/load). */
export const SNAPSHOT_LOAD = struct('LoadSnapshotConfig', [
  field('snapshot_path', path),
  field('mem_file_path', option(path)),
  field('mem_backend', option(MEM_BACKEND)),
  field('enable_diff_snapshots', bool, true),
  field('track_dirty_pages', bool, true),
  field('resume_vm', bool, true),
  field('network_overrides', vec(NETWORK_OVERRIDE), true),
  field('vsock_override', option(VSOCK_OVERRIDE), true),
  field('clock_realtime', bool, true),
]);

const CPUID_REGISTER_MODIFIER = struct(
  'CpuidRegisterModifier',
  [field('register', unitEnum('eax', 'ebx', 'ecx', 'edx')), field('bitmap', value)],
  false,
);

const CPUID_LEAF_MODIFIER = struct(
  'CpuidLeafModifier',
  [
    field('leaf', value),
    field('subleaf', value),
    field('flags', value),
    field('modifiers', vec(CPUID_REGISTER_MODIFIER)),
  ],
  false,
);

const MSR_MODIFIER = struct(
  'RegisterModifier',
  [field('addr', value), field('bitmap', value)],
  false,
);

/** `CustomCpuTemplate` of x86_64 (PUT /cpu-config); inner entries accept unknown fields. */
export const CPU_CONFIG = struct('CustomCpuTemplate', [
  field('kvm_capabilities', vec(string), true),
  field('cpuid_modifiers', vec(CPUID_LEAF_MODIFIER), true),
  field('msr_modifiers', vec(MSR_MODIFIER), true),
]);

/** `VmmConfig`: the `--config-file` document (top level accepts unknown keys). */
export const VMM_CONFIG: Schema = struct(
  'VmmConfig',
  [
    field('balloon', option(BALLOON)),
    field('drives', vec(DRIVE)),
    field('boot-source', BOOT_SOURCE),
    field('cpu-config', option(value)),
    field('logger', option(LOGGER)),
    field('machine-config', option(MACHINE_CONFIG)),
    field('metrics', option(METRICS)),
    field('mmds-config', option(MMDS_CONFIG)),
    field('network-interfaces', vec(NETWORK_INTERFACE), true),
    field('vsock', option(VSOCK)),
    field('entropy', option(ENTROPY)),
    field('pmem', vec(PMEM), true),
    field('memory-hotplug', option(MEMORY_HOTPLUG)),
  ],
  false,
);
