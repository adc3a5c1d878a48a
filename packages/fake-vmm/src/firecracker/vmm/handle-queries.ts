// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { LOG_SITES } from '../firecracker-logger.js';
import type { MetricsDevices } from '../firecracker-metrics.js';
import { FIRECRACKER_VERSION } from '../version.js';
import type { ActionHandlers, VmmCore } from './vmm-core.js';
import { faultOutcome, jsonOutcome } from './vmm-outcome.js';
import { serializeBalloon, serializeFullConfig, serializeMachineConfig } from './vm-resources.js';

/** `MMDS error` when the data store is unusable (post-boot without an MMDS interface). */
export const MMDS_NOT_INITIALIZED = 'MMDS error: The MMDS data store is not initialized.';

/** Whether MMDS is attached to a network interface (required after boot). */
export const isMmdsAttached = (core: VmmCore): boolean =>
  core.resources.mmdsConfig !== undefined && core.resources.nets.some((net) => net.mmds);

/** The ids behind the per-device metrics groups. */
export const metricsDevicesOf = (core: VmmCore): MetricsDevices => {
  const { drives, nets, pmems } = core.resources;
  return {
    blocks: drives.filter((drive) => drive.kind === 'virtio').map((drive) => drive.drive_id),
    vhostUserBlocks: drives
      .filter((drive) => drive.kind === 'vhost')
      .map((drive) => drive.drive_id),
    nets: nets.map((net) => net.iface_id),
    pmems: pmems.map((pmem) => pmem.id),
  };
};

/** The GET endpoints available in every state. */
export const QUERY_HANDLERS = {
  GetInstanceInfo: (core) =>
    jsonOutcome({
      id: core.context.instanceId,
      state: core.state,
      vmm_version: FIRECRACKER_VERSION,
      app_name: 'Firecracker',
    }),
  GetVersion: () => jsonOutcome({ firecracker_version: FIRECRACKER_VERSION }),
  GetFullVmConfig: (core) => {
    if (core.state === 'Not started') {
      core.context.logger.warn(
        LOG_SITES.vmConfigWarning,
        'If the VM was restored from snapshot, boot-source, machine-config.smt, and machine-config.cpu_template will all be empty.',
      );
    }
    return jsonOutcome(serializeFullConfig(core.resources));
  },
  GetMachineConfig: (core) => jsonOutcome(serializeMachineConfig(core.resources.machineConfig)),
  GetMmds: (core, _action, booted) =>
    booted && !isMmdsAttached(core)
      ? faultOutcome(MMDS_NOT_INITIALIZED)
      : { status: 200, body: core.mmds.serialize() },
  GetBalloonConfig: (core, _action, booted) => {
    const { balloon } = core.resources;
    if (balloon === undefined) {
      return faultOutcome(
        booted
          ? 'Internal VMM error: Failed perform action on device: Device not found'
          : 'Balloon config error: No balloon device found.',
      );
    }
    return jsonOutcome(serializeBalloon(balloon));
  },
} satisfies Partial<ActionHandlers>;
