// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type {
  Balloon,
  BalloonHintingStart,
  BalloonHintingStatus,
  BalloonStats,
  BalloonStatsUpdate,
  BalloonUpdate,
  BootSource,
  CpuConfig,
  Drive,
  EntropyDevice,
  FullVmConfiguration,
  LoggerConfig,
  MachineConfiguration,
  MemoryHotplugConfig,
  MemoryHotplugSizeUpdate,
  MemoryHotplugStatus,
  MetricsConfig,
  MmdsConfig,
  NetworkInterface,
  PartialDrive,
  PartialMachineConfiguration,
  PartialNetworkInterface,
  PartialPmem,
  Pmem,
  SerialConfig,
  Vsock,
} from '@kindling/vmm-core';
import type { VmCallOptions } from './send-api-call.js';

/**
 * The typed methods `VM_ENDPOINTS` drives, one per row: the signatures users see. Each validates
 * its argument with the vmm-core model and checks the VM's state before any request.
 */
export interface VmEndpointMethods {
  /** `GET /version`: Firecracker's version without a `v`, e.g. `1.16.1`. */
  getVersion(options?: VmCallOptions): Promise<string>;
  /** `GET /vm/config`: the whole configuration as Firecracker holds it (paths as it sees them). */
  getVmConfig(options?: VmCallOptions): Promise<FullVmConfiguration>;
  /** `GET /machine-config`: vCPUs, memory and CPU features. */
  getMachineConfig(options?: VmCallOptions): Promise<MachineConfiguration>;
  /** `PUT /machine-config` before boot; omitted `smt`, `track_dirty_pages`, `huge_pages` reset. */
  putMachineConfig(config: MachineConfiguration, options?: VmCallOptions): Promise<void>;
  /** `PATCH /machine-config` before boot: changes only the fields given (at least one). */
  patchMachineConfig(update: PartialMachineConfiguration, options?: VmCallOptions): Promise<void>;
  /** `PUT /boot-source` before boot; paths as Firecracker sees them (inside a jail). */
  putBootSource(bootSource: BootSource, options?: VmCallOptions): Promise<void>;
  /** `PUT /cpu-config` before boot (also before a snapshot load): a custom CPU template. */
  putCpuConfig(config: CpuConfig, options?: VmCallOptions): Promise<void>;
  /**
   * `PUT /drives/{drive_id}`: adds a drive before boot, or hot-plugs one after (Firecracker needs
   * `--enable-pci`); `path_on_host` as Firecracker sees it.
   */
  putDrive(drive: Drive, options?: VmCallOptions): Promise<void>;
  /** `PATCH /drives/{drive_id}` after boot: a new backing file or rate limiter. */
  patchDrive(update: PartialDrive, options?: VmCallOptions): Promise<void>;
  /** `DELETE /drives/{drive_id}` after boot: hot-unplugs a drive (PCI; not the root device). */
  deleteDrive(driveId: string, options?: VmCallOptions): Promise<void>;
  /**
   * `PUT /network-interfaces/{iface_id}`: adds (or before boot replaces) an interface, or
   * hot-plugs one after boot. Replacing one detaches it from MMDS.
   */
  putNetworkInterface(iface: NetworkInterface, options?: VmCallOptions): Promise<void>;
  /** `PATCH /network-interfaces/{iface_id}` after boot: new rate limiters. */
  patchNetworkInterface(update: PartialNetworkInterface, options?: VmCallOptions): Promise<void>;
  /** `DELETE /network-interfaces/{iface_id}` after boot: hot-unplugs an interface. */
  deleteNetworkInterface(ifaceId: string, options?: VmCallOptions): Promise<void>;
  /** `PUT /pmem/{id}`: adds a pmem device before boot, or hot-plugs one after. */
  putPmem(device: Pmem, options?: VmCallOptions): Promise<void>;
  /** `PATCH /pmem/{id}` after boot: a new rate limiter. */
  patchPmem(update: PartialPmem, options?: VmCallOptions): Promise<void>;
  /** `DELETE /pmem/{id}` after boot: hot-unplugs a pmem device. */
  deletePmem(id: string, options?: VmCallOptions): Promise<void>;
  /** `PUT /vsock` before boot; `uds_path` as Firecracker sees it, and it must not exist. */
  putVsock(vsock: Vsock, options?: VmCallOptions): Promise<void>;
  /** `PUT /entropy` before boot: the virtio-rng device (`{}` when omitted). */
  putEntropy(device?: EntropyDevice, options?: VmCallOptions): Promise<void>;
  /** `PUT /balloon` before boot; `amount_mib` at most the memory configured so far. */
  putBalloon(balloon: Balloon, options?: VmCallOptions): Promise<void>;
  /** `GET /balloon`: the balloon's configuration. */
  getBalloon(options?: VmCallOptions): Promise<Balloon>;
  /** `PATCH /balloon` after boot: a new target size. */
  patchBalloon(update: BalloonUpdate, options?: VmCallOptions): Promise<void>;
  /** `GET /balloon/statistics` after boot (statistics enabled with `stats_polling_interval_s`). */
  getBalloonStatistics(options?: VmCallOptions): Promise<BalloonStats>;
  /** `PATCH /balloon/statistics` after boot: a new polling interval (non-zero stays non-zero). */
  patchBalloonStatistics(update: BalloonStatsUpdate, options?: VmCallOptions): Promise<void>;
  /** `PATCH /balloon/hinting/start` after boot (`free_page_hinting` enabled): starts a run. */
  startBalloonHinting(start?: BalloonHintingStart, options?: VmCallOptions): Promise<void>;
  /** `GET /balloon/hinting/status` after boot: the last host and guest hinting commands. */
  getBalloonHintingStatus(options?: VmCallOptions): Promise<BalloonHintingStatus>;
  /** `PATCH /balloon/hinting/stop` after boot: ends a hinting run. */
  stopBalloonHinting(options?: VmCallOptions): Promise<void>;
  /** `PUT /logger` before boot (also before a snapshot load); `log_path` as Firecracker sees it. */
  putLogger(config: LoggerConfig, options?: VmCallOptions): Promise<void>;
  /** `PUT /metrics` before boot, once (not after `--metrics-path`). */
  putMetrics(config: MetricsConfig, options?: VmCallOptions): Promise<void>;
  /** `PUT /serial` before boot: where the guest's serial output goes. */
  putSerial(config: SerialConfig, options?: VmCallOptions): Promise<void>;
  /** `PUT /mmds/config` before boot; the interfaces it names must exist. */
  putMmdsConfig(config: MmdsConfig, options?: VmCallOptions): Promise<void>;
  /** `PUT /mmds`: replaces the MMDS data store (after boot, MMDS must be on an interface). */
  putMmds(data: unknown, options?: VmCallOptions): Promise<void>;
  /** `PATCH /mmds`: merges into the data store (RFC 7396); needs a prior `putMmds`. */
  patchMmds(patch: unknown, options?: VmCallOptions): Promise<void>;
  /** `PUT /hotplug/memory` before boot: the hot-pluggable memory region. */
  putMemoryHotplug(config: MemoryHotplugConfig, options?: VmCallOptions): Promise<void>;
  /** `GET /hotplug/memory` after boot: sizes configured, plugged and requested. */
  getMemoryHotplugStatus(options?: VmCallOptions): Promise<MemoryHotplugStatus>;
  /** `PATCH /hotplug/memory` after boot: the size to plug (blocks; the guest driver must be up). */
  patchMemoryHotplug(update: MemoryHotplugSizeUpdate, options?: VmCallOptions): Promise<void>;
  /** `PUT /actions` `FlushMetrics` after boot: writes a metrics line now. */
  flushMetrics(options?: VmCallOptions): Promise<void>;
  /** `PATCH /vm` `Paused`: stops the vCPUs; needs `running`. */
  pause(options?: VmCallOptions): Promise<void>;
  /** `PATCH /vm` `Resumed`: runs the vCPUs again; needs `paused`. */
  resume(options?: VmCallOptions): Promise<void>;
}
