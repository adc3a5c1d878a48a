// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type {
  Balloon,
  BootSource,
  CpuConfig,
  Drive,
  EntropyDevice,
  LoggerConfig,
  MachineConfiguration,
  MemoryHotplugConfig,
  MetricsConfig,
  MmdsConfig,
  MmdsContents,
  NetworkInterface,
  NetworkOverride,
  Pmem,
  SerialConfig,
  Vsock,
  VsockOverride,
} from '@kindling/vmm-core';

/**
 * The items of a new microVM, each exactly the body Firecracker takes (snake_case, as in its
 * docs). Host paths in them (kernel, initrd, drives, pmem, log, metrics, serial output, vsock
 * socket) are resources: Kindling creates or moves them for the executor, and Firecracker is
 * told the path it sees (inside the jail for a jailed VM). Every path must be absolute.
 */
export interface VmConfigurationItems {
  /** `PUT /boot-source`: the kernel (moved), optional initrd (moved) and command line. */
  readonly bootSource: BootSource;
  /** `PUT /drives/{id}`: block devices; `path_on_host` is moved, a vhost-user `socket` is not. */
  readonly drives?: readonly Drive[];
  /** `PUT /pmem/{id}`: virtio-pmem devices; `path_on_host` is moved. */
  readonly pmem?: readonly Pmem[];
  /** `PUT /machine-config`: vCPUs and memory (Firecracker's default: 1 vCPU, 128 MiB). */
  readonly machineConfig?: MachineConfiguration;
  /** `PUT /cpu-config`: a custom CPU template. */
  readonly cpuConfig?: CpuConfig;
  /** `PUT /network-interfaces/{id}`: virtio-net devices over host TAPs. */
  readonly networkInterfaces?: readonly NetworkInterface[];
  /** `PUT /balloon`: the balloon device. */
  readonly balloon?: Balloon;
  /** `PUT /vsock`: the vsock device; `uds_path` is produced by Firecracker (bound at PUT). */
  readonly vsock?: Vsock;
  /** `PUT /logger`: Firecracker's log; `log_path` is created (a file, or a FIFO). */
  readonly logger?: LoggerConfig;
  /** `PUT /metrics`: Firecracker's metrics; `metrics_path` is created (a file, or a FIFO). */
  readonly metrics?: MetricsConfig;
  /** `PUT /hotplug/memory`: the hot-pluggable memory region. */
  readonly memoryHotplug?: MemoryHotplugConfig;
  /** `PUT /mmds/config`: which interfaces answer MMDS requests; send `version: "V2"`. */
  readonly mmdsConfig?: MmdsConfig;
  /** `PUT /mmds`: the MMDS data store's first contents (API boot only; see `--metadata`). */
  readonly mmds?: MmdsContents;
  /** `PUT /entropy`: the virtio-rng device (`{}` is enough). */
  readonly entropy?: EntropyDevice;
  /** `PUT /serial`: where the serial console's output goes (API boot only). */
  readonly serial?: SerialConfig;
}

/** Which output paths Kindling creates as named pipes (FIFOs) rather than regular files. */
export interface VmFifoOptions {
  /** `logger.log_path` is a FIFO. */
  readonly logger?: boolean;
  /** `metrics.metrics_path` is a FIFO. */
  readonly metrics?: boolean;
  /** `serial.serial_out_path` is a FIFO. */
  readonly serial?: boolean;
}

/** A new microVM configured through API calls, then started with `InstanceStart`. */
export interface ApiVmConfiguration extends VmConfigurationItems {
  /** The default when omitted. */
  readonly kind?: 'new-via-api';
  readonly fifos?: VmFifoOptions;
}

/**
 * A new microVM booted from a `--config-file` document, which Kindling writes (kebab-case keys,
 * unset items omitted) where Firecracker sees `configFilePath`. Firecracker has no config-file
 * key for the serial console or the MMDS data (give those as `VmmArguments` `metadata`).
 */
export interface ConfigFileVmConfiguration extends Omit<VmConfigurationItems, 'serial' | 'mmds'> {
  readonly kind: 'new-via-config-file';
  /**
   * Where the document is written, as Firecracker sees it (inside the jail for a jailed VM);
   * absolute. Default: a uniquely named file in the system's temporary folder.
   */
  readonly configFilePath?: string;
  readonly fifos?: VmFifoOptions;
}

/**
 * Where a restored microVM gets its memory: the snapshot's memory `file` (mapped; moved like the
 * state file), or a userfaultfd handler listening on `socketPath` (`uffd`; the socket is hard-linked
 * into a jail, so it must be on the jail's filesystem).
 */
export type SnapshotMemoryBackend =
  | { readonly type: 'file'; readonly path: string }
  | { readonly type: 'uffd'; readonly socketPath: string };

/**
 * A file a restored device opens (a drive's or a pmem device's backing file): where it is on the
 * host, and the path Firecracker saw when the snapshot was made, which is where the restored VM
 * looks for it.
 */
export interface SnapshotDeviceFile {
  /** The file on the host; a jailed executor moves it into the jail. */
  readonly hostPath: string;
  /**
   * The path recorded in the snapshot; when given, Kindling checks that the file lands there and
   * refuses to start otherwise (`ERR_RESTORE_PATH_MISMATCH`).
   */
  readonly virtualPath?: string;
}

/** A microVM restored from a snapshot (`PUT /snapshot/load`) into a new Firecracker process. */
export interface RestoredVmConfiguration {
  readonly kind: 'restored-from-snapshot';
  /** The snapshot's state file on the host (moved). */
  readonly snapshotPath: string;
  /** Where guest memory comes from. */
  readonly memBackend: SnapshotMemoryBackend;
  /** Resume the VM once loaded (`resume_vm`); otherwise it stays `paused`. Default false. */
  readonly resume?: boolean;
  /** Track dirty pages, for later diff snapshots (`track_dirty_pages`). Default false. */
  readonly trackDirtyPages?: boolean;
  /** x86_64: advance the guest clock by the time since the snapshot (`clock_realtime`). */
  readonly clockRealtime?: boolean;
  /** New host TAP devices for restored interfaces (`network_overrides`). */
  readonly networkOverrides?: readonly NetworkOverride[];
  /** A new socket for the restored vsock device (`vsock_override`; produced). */
  readonly vsockOverride?: VsockOverride;
  /** The backing files of the snapshot's drives and pmem devices (moved). */
  readonly deviceFiles?: readonly SnapshotDeviceFile[];
  /**
   * The vsock socket path recorded in the snapshot, which Firecracker binds when there is no
   * `vsockOverride`; Kindling then prepares its folder and removes it at cleanup.
   */
  readonly snapshotVsockPath?: string;
  /** `PUT /logger` before the load (snapshots do not keep it). */
  readonly logger?: LoggerConfig;
  /** `PUT /metrics` before the load. */
  readonly metrics?: MetricsConfig;
  /** `PUT /serial` before the load. */
  readonly serial?: SerialConfig;
  /** `PUT /mmds` before the load: snapshots keep the MMDS config but not its data. */
  readonly mmds?: MmdsContents;
  readonly fifos?: VmFifoOptions;
}

/**
 * How a microVM is made: new through API calls (the default), new from a `--config-file`, or
 * restored from a snapshot. `Vm.prepare` validates it with the Firecracker models before anything
 * is spawned, written or sent.
 */
export type VmConfiguration =
  ApiVmConfiguration | ConfigFileVmConfiguration | RestoredVmConfiguration;

/** A new microVM's configuration after validation: `kind` set, `null` fields dropped. */
export type ResolvedNewVmConfiguration =
  | (ApiVmConfiguration & { readonly kind: 'new-via-api' })
  | (ConfigFileVmConfiguration & { readonly configFilePath: string });

/** A configuration after validation. */
export type ResolvedVmConfiguration = ResolvedNewVmConfiguration | RestoredVmConfiguration;
