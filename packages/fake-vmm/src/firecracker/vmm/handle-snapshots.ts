// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { SnapshotState } from '../../snapshot/state-file-format.js';
import { describeIoError } from '../../rust/io-error.js';
import { composeCommandLine } from './boot-command-line.js';
import { bindVsock } from './handle-io.js';
import { restoreResources, snapshotGuestState } from './restore-resources.js';
import {
  checkMemoryFile,
  connectUffdHandler,
  readSnapshotState,
  SnapshotStepError,
  writeSnapshotMemory,
  writeSnapshotState,
} from './snapshot-files.js';
import type { Body } from './vmm-action.js';
import type { ActionHandlers, HandleResult, VmmCore } from './vmm-core.js';
import { faultOutcome, NO_CONTENT } from './vmm-outcome.js';
import { serializeDevices } from './vm-resources.js';

const elapsedUs = (start: number): number => Math.round((performance.now() - start) * 1000);

const snapshotState = (core: VmmCore, type: 'Full' | 'Diff'): SnapshotState => {
  const { resources, context } = core;
  return {
    arch: 'x86_64',
    snapshotType: type,
    instanceId: context.instanceId,
    memSizeMib: resources.machineConfig.mem_size_mib,
    createdAtMs: Date.now(),
    vcpus: Array.from({ length: resources.machineConfig.vcpu_count }, (_, index) => ({
      index,
      registers: { rip: '0xffffffff81e00000', rsp: `0xffffc900000${index}3e00`, rflags: '0x246' },
    })),
    // The boot source travels with the state: a restored VM reports it in GET /vm/config.
    vmConfig: { ...serializeDevices(resources), 'boot-source': resources.bootSource ?? null },
    guest: snapshotGuestState(resources, context.guest.generation),
  };
};

const createSnapshot = (core: VmmCore, body: Body): HandleResult => {
  if (core.state !== 'Paused') {
    return faultOutcome(
      'Create snapshot error: Cannot save the microVM state: Operation not allowed: save/restore unavailable while running',
    );
  }
  const vhost = core.resources.drives.find((drive) => drive.kind === 'vhost');
  if (vhost !== undefined) {
    return faultOutcome(
      `Create snapshot error: Cannot save the microVM state: Devices without snapshot support are present: vhost-user-block(id: ${vhost.drive_id})`,
    );
  }
  const start = performance.now();
  const type = body.snapshot_type === 'Diff' ? 'Diff' : 'Full';
  const { resolvePath, guest, metrics, exitAt } = core.context;
  try {
    // State first, then memory, as persist.rs does.
    writeSnapshotState(resolvePath(String(body.snapshot_path)), snapshotState(core, type));
    if (exitAt('snapshot-create')) {
      return 'exit';
    }
    writeSnapshotMemory(
      resolvePath(String(body.mem_file_path)),
      core.resources.machineConfig.mem_size_mib,
      type,
      guest.generation,
    );
  } catch (error) {
    if (error instanceof SnapshotStepError) {
      return faultOutcome(`Create snapshot error: ${error.message}`);
    }
    throw error;
  }
  // Snapshotting resets vsock: open connections go, guest listeners stay.
  core.resources.vsock?.device.dropConnections();
  const latencyUs = elapsedUs(start);
  metrics.store(
    'latencies_us',
    type === 'Full' ? 'full_create_snapshot' : 'diff_create_snapshot',
    latencyUs,
  );
  core.context.logger.vmmActionTook(
    type === 'Full' ? 'create full snapshot' : 'create diff snapshot',
    latencyUs,
  );
  return NO_CONTENT;
};

const restore = async (core: VmmCore, body: Body): Promise<void> => {
  const { context } = core;
  const { state } = readSnapshotState(context.resolvePath(String(body.snapshot_path)));
  const backend = body.mem_backend as
    { backend_path: string; backend_type: string } | null | undefined;
  const memoryPath = backend?.backend_path ?? String(body.mem_file_path);
  if (backend?.backend_type === 'Uffd') {
    core.uffd = await connectUffdHandler(context.resolveSocketPath(memoryPath), state.memSizeMib);
  } else {
    checkMemoryFile(context.resolvePath(memoryPath), state.memSizeMib);
  }
  const { resources, vsock } = restoreResources(state, body);
  if (vsock !== undefined) {
    try {
      resources.vsock = { ...vsock, device: await bindVsock(core, vsock.uds_path) };
    } catch (error) {
      throw new SnapshotStepError(
        `Failed to restore from snapshot: Failed to build microVM from snapshot: Cannot create backend for vsock device: Error binding to the host-side Unix socket: ${describeIoError(error).display}`,
        { cause: error },
      );
    }
    context.guest.vsock = resources.vsock.device;
  }
  core.resources = resources;
  const running = body.resume_vm === true;
  core.state = running ? 'Running' : 'Paused';
  context.guest.restore(
    composeCommandLine(resources, context.enablePci),
    running,
    Number(state.guest.generation ?? 0),
  );
  context.onStarted();
};

const loadSnapshot = async (core: VmmCore, body: Body): Promise<HandleResult> => {
  if (core.bootPathConfigured) {
    return faultOutcome(
      'Load snapshot error: Loading a microVM snapshot not allowed after configuring boot-specific resources.',
    );
  }
  if (core.context.exitAt('snapshot-load')) {
    return 'exit';
  }
  const start = performance.now();
  core.context.logger.restoreEvent('start');
  try {
    await restore(core, body);
  } catch (error) {
    if (error instanceof SnapshotStepError) {
      // A failed restore is fatal: the answer goes out, then Firecracker exits with 1.
      return { status: 400, fault: `Load snapshot error: ${error.message}`, exitAfter: 1 };
    }
    throw error;
  }
  core.context.logger.restoreEvent('end');
  const latencyUs = elapsedUs(start);
  core.context.metrics.store('latencies_us', 'load_snapshot', latencyUs);
  core.context.logger.vmmActionTook('load snapshot', latencyUs);
  return NO_CONTENT;
};

/** `PUT /snapshot/create` and `PUT /snapshot/load`. */
export const SNAPSHOT_HANDLERS = {
  CreateSnapshot: (core, action) => createSnapshot(core, action.body),
  LoadSnapshot: (core, action) => loadSnapshot(core, action.body),
} satisfies Partial<ActionHandlers>;
