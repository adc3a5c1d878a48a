// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { SnapshotState, StateFileObject } from '../../snapshot/state-file.js';
import { SnapshotStepError } from './snapshot-files.js';
import type { Body } from './vmm-action.js';
import {
  createVmResources,
  type BalloonState,
  type DriveState,
  type HotplugState,
  type MachineConfigState,
  type MmdsConfigState,
  type NetState,
  type PmemState,
  type VmResources,
  type WireObject,
} from './vm-resources.js';

/** The simulated guest state a snapshot records besides the configuration. */
export const snapshotGuestState = (
  resources: VmResources,
  generation: number,
): StateFileObject => ({
  generation,
  balloon:
    resources.balloon === undefined
      ? null
      : { host_cmd: resources.balloon.hostCmd, guest_cmd: resources.balloon.guestCmd },
  hotplug:
    resources.hotplug === undefined
      ? null
      : {
          requested_size_mib: resources.hotplug.requested_size_mib,
          plugged_size_mib: resources.hotplug.plugged_size_mib,
        },
});

const BUILD = 'Failed to restore from snapshot: Failed to build microVM from snapshot';

const objects = (value: unknown): WireObject[] =>
  Array.isArray(value) ? (value as WireObject[]) : [];

const objectOrUndefined = (value: unknown): WireObject | undefined =>
  typeof value === 'object' && value !== null ? (value as WireObject) : undefined;

/** The vsock configuration to bind after a restore. */
export interface RestoredVsock {
  readonly vsock_id: string | null;
  readonly guest_cid: number;
  readonly uds_path: string;
}

/**
 * Rebuilds the VM's resources from a snapshot, applying `network_overrides`, `vsock_override` and
 * `track_dirty_pages`; the boot source is the original VM's and the MMDS data store is empty, as
 * in Firecracker.
 */
export const restoreResources = (
  state: SnapshotState,
  load: Body,
): { resources: VmResources; vsock: RestoredVsock | undefined } => {
  const config = state.vmConfig;
  const resources = createVmResources();
  const guest = state.guest as {
    balloon?: { host_cmd: number; guest_cmd: number | null } | null;
    hotplug?: { requested_size_mib: number; plugged_size_mib: number } | null;
  };
  resources.machineConfig = {
    ...(config['machine-config'] as MachineConfigState),
    track_dirty_pages: load.track_dirty_pages === true || load.enable_diff_snapshots === true,
  };
  const bootSource = objectOrUndefined(config['boot-source']);
  resources.bootSource =
    bootSource === undefined
      ? undefined
      : {
          kernel_image_path: String(bootSource.kernel_image_path),
          initrd_path: typeof bootSource.initrd_path === 'string' ? bootSource.initrd_path : null,
          boot_args: typeof bootSource.boot_args === 'string' ? bootSource.boot_args : null,
        };
  resources.drives = objects(config.drives).map((drive): DriveState => ({
    kind: typeof drive.socket === 'string' ? 'vhost' : 'virtio',
    drive_id: String(drive.drive_id),
    partuuid: typeof drive.partuuid === 'string' ? drive.partuuid : null,
    is_root_device: drive.is_root_device === true,
    cache_type: typeof drive.cache_type === 'string' ? drive.cache_type : 'Unsafe',
    is_read_only: drive.is_read_only === true,
    path_on_host: typeof drive.path_on_host === 'string' ? drive.path_on_host : null,
    rate_limiter: (drive.rate_limiter as WireObject | null | undefined) ?? null,
    io_engine: typeof drive.io_engine === 'string' ? drive.io_engine : 'Sync',
    socket: typeof drive.socket === 'string' ? drive.socket : null,
  }));
  const mmdsConfig = objectOrUndefined(config['mmds-config']) as MmdsConfigState | undefined;
  resources.mmdsConfig = mmdsConfig;
  resources.nets = objects(config['network-interfaces']).map((net): NetState => ({
    iface_id: String(net.iface_id),
    host_dev_name: String(net.host_dev_name),
    guest_mac: typeof net.guest_mac === 'string' ? net.guest_mac : null,
    mtu: typeof net.mtu === 'number' ? net.mtu : null,
    rx_rate_limiter: (net.rx_rate_limiter as WireObject | null | undefined) ?? null,
    tx_rate_limiter: (net.tx_rate_limiter as WireObject | null | undefined) ?? null,
    mmds: mmdsConfig?.network_interfaces.includes(String(net.iface_id)) === true,
  }));
  for (const override of objects(load.network_overrides)) {
    const net = resources.nets.find((candidate) => candidate.iface_id === override.iface_id);
    if (net === undefined) {
      throw new SnapshotStepError(
        `${BUILD}: Invalid network override: no network interface with id ${String(override.iface_id)}`,
      );
    }
    net.host_dev_name = String(override.host_dev_name);
  }
  resources.pmems = objects(config.pmem) as unknown as PmemState[];
  const entropy = objectOrUndefined(config.entropy);
  resources.entropy =
    entropy === undefined
      ? undefined
      : { rate_limiter: (entropy.rate_limiter as WireObject | null) ?? null };
  const balloon = objectOrUndefined(config.balloon);
  resources.balloon =
    balloon === undefined
      ? undefined
      : ({
          ...balloon,
          hostCmd: guest.balloon?.host_cmd ?? 0,
          guestCmd: guest.balloon?.guest_cmd ?? null,
          acknowledgeOnStop: true,
        } as BalloonState);
  const hotplug = objectOrUndefined(config['memory-hotplug']);
  resources.hotplug =
    hotplug === undefined
      ? undefined
      : ({
          ...hotplug,
          requested_size_mib: guest.hotplug?.requested_size_mib ?? 0,
          plugged_size_mib: guest.hotplug?.plugged_size_mib ?? 0,
        } as HotplugState);
  const vsockConfig = objectOrUndefined(config.vsock);
  const override = objectOrUndefined(load.vsock_override);
  if (override !== undefined && vsockConfig === undefined) {
    throw new SnapshotStepError(
      `${BUILD}: Cannot override vsock: the snapshot has no vsock device`,
    );
  }
  const vsock =
    vsockConfig === undefined
      ? undefined
      : {
          vsock_id: typeof vsockConfig.vsock_id === 'string' ? vsockConfig.vsock_id : null,
          guest_cid: Number(vsockConfig.guest_cid),
          uds_path: String(override?.uds_path ?? vsockConfig.uds_path),
        };
  return { resources, vsock };
};
