// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { SnapshotLoadParams } from '@kindling/vmm-core';
import type { RestoredVmConfiguration, VmConfigurationItems } from './configuration.js';
import type { ApiCall } from './send-api-call.js';

/** `PUT /actions` `InstanceStart`: boots a new VM once it is configured. */
export const INSTANCE_START_CALL: ApiCall = {
  method: 'PUT',
  path: '/actions',
  body: { action_type: 'InstanceStart' },
};

const put = (path: string, body: unknown): ApiCall => ({ method: 'PUT', path, body });

const putOutputs = (items: Partial<VmConfigurationItems>): ApiCall[] => [
  ...(items.logger === undefined ? [] : [put('/logger', items.logger)]),
  ...(items.metrics === undefined ? [] : [put('/metrics', items.metrics)]),
  ...(items.serial === undefined ? [] : [put('/serial', items.serial)]),
];

/**
 * The calls that configure a new VM through the API, before `InstanceStart`. The order is the
 * one Firecracker itself applies a `--config-file` in (firecracker.md §7), so a configuration
 * behaves the same whichever way it boots, with two API-only items placed where they are safe:
 * 1. logger, metrics, then serial: first, so the failure of any later call is logged and
 *    counted, and the guest's serial output is captured from its first byte;
 * 2. machine-config before cpu-config and balloon: a custom template set later wins over the
 *    machine-config's static one, and Firecracker checks the balloon against the memory size
 *    configured at the time of its PUT (default 128 MiB);
 * 3. boot-source, drives, network interfaces, vsock, balloon;
 * 4. MMDS data, then mmds/config: the interfaces it names must exist already, and a later PUT
 *    of one of them would detach it from MMDS;
 * 5. entropy, pmem, hotplug/memory.
 * fctools sends logger and metrics late, after the devices, so their errors go unlogged.
 */
export const planNewVmCalls = (items: VmConfigurationItems): ApiCall[] => [
  ...putOutputs(items),
  ...(items.machineConfig === undefined ? [] : [put('/machine-config', items.machineConfig)]),
  ...(items.cpuConfig === undefined ? [] : [put('/cpu-config', items.cpuConfig)]),
  put('/boot-source', items.bootSource),
  ...(items.drives ?? []).map((drive) => put(`/drives/${drive.drive_id}`, drive)),
  ...(items.networkInterfaces ?? []).map((iface) =>
    put(`/network-interfaces/${iface.iface_id}`, iface),
  ),
  ...(items.vsock === undefined ? [] : [put('/vsock', items.vsock)]),
  ...(items.balloon === undefined ? [] : [put('/balloon', items.balloon)]),
  ...(items.mmds === undefined ? [] : [put('/mmds', items.mmds)]),
  ...(items.mmdsConfig === undefined ? [] : [put('/mmds/config', items.mmdsConfig)]),
  ...(items.entropy === undefined ? [] : [put('/entropy', items.entropy)]),
  ...(items.pmem ?? []).map((device) => put(`/pmem/${device.id}`, device)),
  ...(items.memoryHotplug === undefined ? [] : [put('/hotplug/memory', items.memoryHotplug)]),
];

/**
 * The calls before a snapshot load: logger, metrics and serial (snapshots keep none of them),
 * then the MMDS data (snapshots keep the MMDS config, not the data). Firecracker allows exactly
 * these before `/snapshot/load`; any boot resource would make the load fail.
 */
export const planRestoreCalls = (configuration: RestoredVmConfiguration): ApiCall[] => [
  ...putOutputs(configuration),
  ...(configuration.mmds === undefined ? [] : [put('/mmds', configuration.mmds)]),
];

/** The `PUT /snapshot/load` body of a restored configuration whose paths Firecracker sees. */
export const buildSnapshotLoadParams = (
  configuration: RestoredVmConfiguration,
): SnapshotLoadParams => {
  const { memBackend } = configuration;
  const params: SnapshotLoadParams = {
    snapshot_path: configuration.snapshotPath,
    mem_backend:
      memBackend.type === 'file'
        ? { backend_type: 'File', backend_path: memBackend.path }
        : { backend_type: 'Uffd', backend_path: memBackend.socketPath },
    ...(configuration.trackDirtyPages === undefined
      ? {}
      : { track_dirty_pages: configuration.trackDirtyPages }),
    ...(configuration.resume === undefined ? {} : { resume_vm: configuration.resume }),
    ...(configuration.networkOverrides === undefined
      ? {}
      : { network_overrides: [...configuration.networkOverrides] }),
    ...(configuration.vsockOverride === undefined
      ? {}
      : { vsock_override: configuration.vsockOverride }),
    ...(configuration.clockRealtime === undefined
      ? {}
      : { clock_realtime: configuration.clockRealtime }),
  };
  return params;
};

/** The `PUT /snapshot/load` call of a restored configuration whose paths Firecracker sees. */
export const buildSnapshotLoadCall = (configuration: RestoredVmConfiguration): ApiCall =>
  put('/snapshot/load', buildSnapshotLoadParams(configuration));
