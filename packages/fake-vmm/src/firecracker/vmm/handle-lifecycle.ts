// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { LOG_SITES } from '../firecracker-logger.js';
import { checkCommandLine, composeCommandLine } from './boot-command-line.js';
import { openPmemFiles } from './configure-devices.js';
import { metricsDevicesOf } from './handle-queries.js';
import { kernelLoadFault } from './kernel-image.js';
import type { ActionHandlers, HandleResult, VmmCore } from './vmm-core.js';
import { faultOutcome, NO_CONTENT, type VmmOutcome } from './vmm-outcome.js';

/** `InstanceStart`: the checks Firecracker makes when building the VM, then the guest boots. */
const instanceStart = (core: VmmCore): HandleResult => {
  const { context, resources } = core;
  if (context.exitAt('before-instance-start')) {
    return 'exit';
  }
  if (resources.bootSource === undefined) {
    return faultOutcome('Start microvm error: Cannot start microvm without kernel configuration.');
  }
  // The loader runs before the command line is composed (build_microvm_for_boot's order).
  const kernelFault =
    resources.kernelImage === undefined
      ? undefined
      : kernelLoadFault(resources.kernelImage, resources.machineConfig.mem_size_mib);
  if (kernelFault !== undefined) {
    return faultOutcome(kernelFault);
  }
  const commandLine = composeCommandLine(resources, context.enablePci);
  const problem = checkCommandLine(commandLine);
  if (problem !== undefined) {
    return faultOutcome(`Start microvm error: Invalid kernel command line: ${problem}`);
  }
  const pmemProblem = openPmemFiles(resources, core.host);
  if (pmemProblem !== undefined) {
    return faultOutcome(`Start microvm error: Error creating pmem device: ${pmemProblem}`);
  }
  const { logger } = context;
  logger.debug(LOG_SITES.buildStart, 'event_start: build microvm for boot');
  logger.debug(LOG_SITES.buildStart, 'event_end: build microvm for boot');
  logger.debug(LOG_SITES.bootStart, 'event_start: boot microvm');
  core.state = 'Running';
  context.onStarted();
  context.guest.boot({
    commandLine,
    vcpuCount: resources.machineConfig.vcpu_count,
    memSizeMib: resources.machineConfig.mem_size_mib,
    driveIds: resources.drives.map((drive) => drive.drive_id),
    netIfaceIds: resources.nets.map((net) => net.iface_id),
    hasVsock: resources.vsock !== undefined,
    hasInitrd: resources.bootSource.initrd_path !== null,
  });
  logger.info(LOG_SITES.kickDevices, 'Artificially kick devices');
  logger.debug(LOG_SITES.bootEnd, 'event_end: boot microvm');
  return NO_CONTENT;
};

const changeVmState = (core: VmmCore, state: 'Paused' | 'Resumed'): VmmOutcome => {
  const start = performance.now();
  const { guest, metrics } = core.context;
  if (state === 'Paused') {
    guest.pause();
    core.state = 'Paused';
  } else {
    guest.resume();
    core.state = 'Running';
    core.context.logger.info(LOG_SITES.kickDevices, 'Artificially kick devices');
  }
  const latencyUs = Math.round((performance.now() - start) * 1000);
  metrics.store('latencies_us', state === 'Paused' ? 'pause_vm' : 'resume_vm', latencyUs);
  core.context.logger.vmmActionTook(state === 'Paused' ? 'pause vm' : 'resume vm', latencyUs);
  return NO_CONTENT;
};

/** Starting, pausing and resuming the VM, and the actions of a running one. */
export const LIFECYCLE_HANDLERS = {
  InstanceStart: (core) => instanceStart(core),
  FlushMetrics: (core) => {
    core.context.metrics.flush(metricsDevicesOf(core));
    return NO_CONTENT;
  },
  SendCtrlAltDel: (core) => {
    core.context.metrics.inc('i8042', 'write_count', 2);
    core.context.guest.sendCtrlAltDel();
    return NO_CONTENT;
  },
  PatchVmState: (core, action) => changeVmState(core, action.state),
} satisfies Partial<ActionHandlers>;
