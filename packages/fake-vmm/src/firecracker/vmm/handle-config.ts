// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { MmdsChange } from './mmds-store.js';
import {
  hotplugDrive,
  hotplugNet,
  hotplugPmem,
  insertDrive,
  insertNet,
  insertPmem,
  patchDrive,
  patchNet,
  patchPmem,
  unplugDrive,
  unplugNet,
  unplugPmem,
} from './configure-devices.js';
import {
  setBalloon,
  setBootSource,
  setMemoryHotplug,
  setMmdsConfig,
  updateMachineConfig,
} from './configure-machine.js';
import { isMmdsAttached, MMDS_NOT_INITIALIZED } from './handle-queries.js';
import type { ActionHandlers, VmmCore } from './vmm-core.js';
import { faultOutcome, NO_CONTENT, type VmmOutcome } from './vmm-outcome.js';
import { normalizeRateLimiter } from './vm-resources.js';

const changeMmds = (core: VmmCore, booted: boolean, change: () => MmdsChange): VmmOutcome => {
  if (booted && !isMmdsAttached(core)) {
    return faultOutcome(MMDS_NOT_INITIALIZED);
  }
  const outcome = change();
  if (outcome === 'too-big') {
    return faultOutcome("MMDS limit exceeded error: The MMDS patch request doesn't fit.", 413);
  }
  return outcome === 'ok' ? NO_CONTENT : faultOutcome(MMDS_NOT_INITIALIZED);
};

/** The resources configured by PUT and PATCH (pre-boot, or hotplug after boot). */
export const CONFIG_HANDLERS = {
  PutMachineConfig: (core, action) => updateMachineConfig(core.resources, action.body, true),
  PatchMachineConfig: (core, action) => updateMachineConfig(core.resources, action.body, false),
  PutCpuConfig: (core, action) => {
    core.resources.cpuConfig = action.config;
    core.resources.machineConfig.cpu_template = undefined;
    return NO_CONTENT;
  },
  PutBootSource: (core, action) =>
    setBootSource(core.resources, action.body, core.context.resolvePath),
  PutDrive: (core, action, booted) =>
    booted
      ? hotplugDrive(core.resources, action.body, core.host)
      : insertDrive(core.resources, action.body, core.host),
  PatchDrive: (core, action) => patchDrive(core.resources, action.body, core.host),
  DeleteDrive: (core, action) => unplugDrive(core.resources, action.id, core.host),
  PutNetwork: (core, action, booted) =>
    booted
      ? hotplugNet(core.resources, action.body, core.host)
      : insertNet(core.resources, action.body),
  PatchNetwork: (core, action) => patchNet(core.resources, action.body),
  DeleteNetwork: (core, action) => unplugNet(core.resources, action.id, core.host),
  PutPmem: (core, action, booted) =>
    booted
      ? hotplugPmem(core.resources, action.body, core.host)
      : insertPmem(core.resources, action.body),
  PatchPmem: (core, action) => patchPmem(core.resources, action.body),
  DeletePmem: (core, action) => unplugPmem(core.resources, action.id, core.host),
  PutEntropy: (core, action) => {
    core.resources.entropy = { rate_limiter: normalizeRateLimiter(action.body.rate_limiter) };
    return NO_CONTENT;
  },
  PutBalloon: (core, action) => setBalloon(core.resources, action.body),
  PutMmdsConfig: (core, action) => setMmdsConfig(core.resources, action.body),
  PutMemoryHotplug: (core, action) => setMemoryHotplug(core.resources, action.body),
  PutMmds: (core, action, booted) => changeMmds(core, booted, () => core.mmds.put(action.value)),
  PatchMmds: (core, action, booted) =>
    changeMmds(core, booted, () => core.mmds.patch(action.value)),
} satisfies Partial<ActionHandlers>;
