// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VsockDevice } from '../../guest/vsock-device.js';
import type { JsonValue } from '../serde/json-value.js';
import type { KernelImage } from './kernel-image.js';

/** A wire object as Firecracker serializes it (snake_case, key order significant). */
export type WireObject = Record<string, unknown>;

/** `MachineConfig` as the VMM holds it. */
export interface MachineConfigState {
  vcpu_count: number;
  mem_size_mib: number;
  smt: boolean;
  /** A static template other than `None`; undefined for none or a custom template. */
  cpu_template: string | undefined;
  track_dirty_pages: boolean;
  huge_pages: 'None' | '2M';
}

/** A block device: virtio-block (a host file) or vhost-user (a backend socket). */
export interface DriveState {
  readonly kind: 'virtio' | 'vhost';
  readonly drive_id: string;
  readonly partuuid: string | null;
  readonly is_root_device: boolean;
  readonly cache_type: string;
  readonly is_read_only: boolean;
  path_on_host: string | null;
  rate_limiter: WireObject | null;
  readonly io_engine: string;
  readonly socket: string | null;
}

/** A network interface; `mmds` is whether MMDS requests are forwarded from it. */
export interface NetState {
  readonly iface_id: string;
  host_dev_name: string;
  readonly guest_mac: string | null;
  readonly mtu: number | null;
  rx_rate_limiter: WireObject | null;
  tx_rate_limiter: WireObject | null;
  mmds: boolean;
}

/** A virtio-pmem device. */
export interface PmemState {
  readonly id: string;
  readonly path_on_host: string;
  readonly root_device: boolean;
  readonly read_only: boolean;
  rate_limiter: WireObject | null;
}

/** The vsock device and its bound host socket. */
export interface VsockState {
  readonly vsock_id: string | null;
  readonly guest_cid: number;
  uds_path: string;
  device: VsockDevice;
}

/** The balloon device and the simulated guest driver's state. */
export interface BalloonState {
  amount_mib: number;
  readonly deflate_on_oom: boolean;
  stats_polling_interval_s: number;
  readonly free_page_hinting: boolean;
  readonly free_page_reporting: boolean;
  hostCmd: number;
  guestCmd: number | null;
  acknowledgeOnStop: boolean;
}

/** The MMDS configuration. */
export interface MmdsConfigState {
  readonly version: 'V1' | 'V2';
  readonly network_interfaces: readonly string[];
  readonly ipv4_address: string;
  readonly imds_compat: boolean;
}

/** The memory hotplug (virtio-mem) device. */
export interface HotplugState {
  readonly total_size_mib: number;
  readonly block_size_mib: number;
  readonly slot_size_mib: number;
  requested_size_mib: number;
  plugged_size_mib: number;
}

/** Everything configured on the VM (Firecracker's `VmResources` plus the devices). */
export interface VmResources {
  machineConfig: MachineConfigState;
  cpuConfig: JsonValue | undefined;
  bootSource:
    { kernel_image_path: string; initrd_path: string | null; boot_args: string | null } | undefined;
  /** The kernel file as `PUT /boot-source` read it (unset after a snapshot load). */
  kernelImage: KernelImage | undefined;
  drives: DriveState[];
  nets: NetState[];
  pmems: PmemState[];
  vsock: VsockState | undefined;
  entropy: { rate_limiter: WireObject | null } | undefined;
  balloon: BalloonState | undefined;
  mmdsConfig: MmdsConfigState | undefined;
  hotplug: HotplugState | undefined;
}

/** The resources of a VM nothing was configured on (1 vCPU, 128 MiB). */
export const createVmResources = (): VmResources => ({
  machineConfig: {
    vcpu_count: 1,
    mem_size_mib: 128,
    smt: false,
    cpu_template: undefined,
    track_dirty_pages: false,
    huge_pages: 'None',
  },
  cpuConfig: undefined,
  bootSource: undefined,
  kernelImage: undefined,
  drives: [],
  nets: [],
  pmems: [],
  vsock: undefined,
  entropy: undefined,
  balloon: undefined,
  mmdsConfig: undefined,
  hotplug: undefined,
});

const normalizeBucket = (bucket: unknown): WireObject | null => {
  if (typeof bucket !== 'object' || bucket === null) {
    return null;
  }
  const { size, one_time_burst: burst, refill_time: refill } = bucket as Record<string, unknown>;
  // A zero size or refill time disables the bucket without an error.
  if (typeof size !== 'number' || typeof refill !== 'number' || size === 0 || refill === 0) {
    return null;
  }
  return { size, one_time_burst: typeof burst === 'number' ? burst : null, refill_time: refill };
};

/** A `RateLimiterConfig` as Firecracker reports it back: disabled buckets null, all-null as null. */
export const normalizeRateLimiter = (limiter: unknown): WireObject | null => {
  if (limiter === null || limiter === undefined) {
    return null;
  }
  const { bandwidth, ops } = limiter as { bandwidth?: unknown; ops?: unknown };
  const normalized = { bandwidth: normalizeBucket(bandwidth), ops: normalizeBucket(ops) };
  return normalized.bandwidth === null && normalized.ops === null ? null : normalized;
};

/**
 * A PATCH's rate limiter over the device's, as Firecracker's `RateLimiterUpdate` does: a bucket the
 * update leaves out (or sends as null) keeps its value (`BucketUpdate::None`); one it sends
 * replaces it, or turns it off when its size or refill time is 0. `GET /vm/config` reports the
 * device's limiter, so it shows the merge.
 */
export const patchRateLimiter = (
  current: WireObject | null,
  update: unknown,
): WireObject | null => {
  if (update === null || update === undefined) {
    return current;
  }
  const given = update as { bandwidth?: unknown; ops?: unknown };
  const merge = (bucket: 'bandwidth' | 'ops'): WireObject | null =>
    given[bucket] === undefined || given[bucket] === null
      ? ((current?.[bucket] as WireObject | null | undefined) ?? null)
      : normalizeBucket(given[bucket]);
  const merged = { bandwidth: merge('bandwidth'), ops: merge('ops') };
  return merged.bandwidth === null && merged.ops === null ? null : merged;
};

/** `GET /machine-config`: `cpu_template` only for a static template other than None. */
export const serializeMachineConfig = (config: MachineConfigState): WireObject => ({
  vcpu_count: config.vcpu_count,
  mem_size_mib: config.mem_size_mib,
  smt: config.smt,
  ...(config.cpu_template === undefined ? {} : { cpu_template: config.cpu_template }),
  track_dirty_pages: config.track_dirty_pages,
  huge_pages: config.huge_pages,
});

/** A drive of `GET /vm/config`. */
export const serializeDrive = (drive: DriveState): WireObject => ({
  drive_id: drive.drive_id,
  partuuid: drive.partuuid,
  is_root_device: drive.is_root_device,
  cache_type: drive.cache_type,
  is_read_only: drive.kind === 'virtio' ? drive.is_read_only : null,
  path_on_host: drive.path_on_host,
  rate_limiter: drive.rate_limiter,
  io_engine: drive.kind === 'virtio' ? drive.io_engine : null,
  socket: drive.socket,
});

/** A network interface of `GET /vm/config`. */
export const serializeNet = (net: NetState): WireObject => ({
  iface_id: net.iface_id,
  host_dev_name: net.host_dev_name,
  guest_mac: net.guest_mac,
  mtu: net.mtu,
  rx_rate_limiter: net.rx_rate_limiter,
  tx_rate_limiter: net.tx_rate_limiter,
});

/** A pmem device of `GET /vm/config`. */
export const serializePmem = (pmem: PmemState): WireObject => ({
  id: pmem.id,
  path_on_host: pmem.path_on_host,
  root_device: pmem.root_device,
  read_only: pmem.read_only,
  rate_limiter: pmem.rate_limiter,
});

/** `BalloonDeviceConfig` (GET /balloon). */
export const serializeBalloon = (balloon: BalloonState): WireObject => ({
  amount_mib: balloon.amount_mib,
  deflate_on_oom: balloon.deflate_on_oom,
  stats_polling_interval_s: balloon.stats_polling_interval_s,
  free_page_hinting: balloon.free_page_hinting,
  free_page_reporting: balloon.free_page_reporting,
});

/** `MemoryHotplugConfig` of `GET /vm/config`. */
export const serializeHotplugConfig = (hotplug: HotplugState): WireObject => ({
  total_size_mib: hotplug.total_size_mib,
  block_size_mib: hotplug.block_size_mib,
  slot_size_mib: hotplug.slot_size_mib,
});

/** The device part of `GET /vm/config` (also what a snapshot records). */
export const serializeDevices = (resources: VmResources): WireObject => ({
  balloon: resources.balloon === undefined ? null : serializeBalloon(resources.balloon),
  drives: resources.drives.map(serializeDrive),
  'machine-config': serializeMachineConfig(resources.machineConfig),
  'mmds-config':
    resources.mmdsConfig === undefined
      ? null
      : {
          version: resources.mmdsConfig.version,
          network_interfaces: resources.mmdsConfig.network_interfaces,
          ipv4_address: resources.mmdsConfig.ipv4_address,
          imds_compat: resources.mmdsConfig.imds_compat,
        },
  'network-interfaces': resources.nets.map(serializeNet),
  vsock:
    resources.vsock === undefined
      ? null
      : {
          ...(resources.vsock.vsock_id === null ? {} : { vsock_id: resources.vsock.vsock_id }),
          guest_cid: resources.vsock.guest_cid,
          uds_path: resources.vsock.uds_path,
        },
  entropy:
    resources.entropy === undefined ? null : { rate_limiter: resources.entropy.rate_limiter },
  pmem: resources.pmems.map(serializePmem),
  'memory-hotplug':
    resources.hotplug === undefined ? null : serializeHotplugConfig(resources.hotplug),
});

/** `GET /vm/config` (FullVmConfiguration), keys in Firecracker's order. */
export const serializeFullConfig = (resources: VmResources): WireObject => {
  const devices = serializeDevices(resources);
  return {
    balloon: devices.balloon,
    drives: devices.drives,
    'boot-source': resources.bootSource ?? {
      kernel_image_path: '',
      initrd_path: null,
      boot_args: null,
    },
    'cpu-config': null,
    logger: null,
    'machine-config': devices['machine-config'],
    metrics: null,
    'mmds-config': devices['mmds-config'],
    'network-interfaces': devices['network-interfaces'],
    vsock: devices.vsock,
    entropy: devices.entropy,
    pmem: devices.pmem,
    'memory-hotplug': devices['memory-hotplug'],
  };
};
