// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { JsonValue } from '../serde/json-value.js';
import { CONFIG_HANDLERS } from './handle-config.js';
import { IO_HANDLERS } from './handle-io.js';
import { LIFECYCLE_HANDLERS } from './handle-lifecycle.js';
import { metricsDevicesOf, QUERY_HANDLERS } from './handle-queries.js';
import { RUNTIME_HANDLERS } from './handle-runtime.js';
import { SNAPSHOT_HANDLERS } from './handle-snapshots.js';
import {
  BOOT_PATH_ACTIONS,
  PRE_BOOT_ONLY_ACTIONS,
  RUNTIME_ONLY_ACTIONS,
  type VmmAction,
} from './vmm-action.js';
import { NOT_SUPPORTED_POST_BOOT, NOT_SUPPORTED_PRE_BOOT } from './vmm-outcome.js';
import {
  createVmmCore,
  type ActionHandler,
  type ActionHandlers,
  type HandleResult,
  type VmmContext,
  type VmmCore,
  type VmState,
} from './vmm-core.js';

const HANDLERS: ActionHandlers = {
  ...QUERY_HANDLERS,
  ...CONFIG_HANDLERS,
  ...IO_HANDLERS,
  ...RUNTIME_HANDLERS,
  ...LIFECYCLE_HANDLERS,
  ...SNAPSHOT_HANDLERS,
};

/**
 * The fake VMM: Firecracker's preboot and runtime API controllers over the VM's resources and
 * the simulated guest. Requests reach it one at a time.
 */
export class FakeVmm {
  private readonly core: VmmCore;

  constructor(context: VmmContext) {
    this.core = createVmmCore(context);
  }

  get state(): VmState {
    return this.core.state;
  }

  /** The ids behind the per-device metrics groups. */
  metricsDevices(): ReturnType<typeof metricsDevicesOf> {
    return metricsDevicesOf(this.core);
  }

  /** Seeds the MMDS data store (`--metadata`); false when it does not fit the limit. */
  seedMmds(value: JsonValue): boolean {
    return this.core.mmds.put(value) === 'ok';
  }

  /** Handles one action, applying Firecracker's pre-boot / post-boot rules first. */
  handle(action: VmmAction): Promise<HandleResult> {
    const booted = this.core.state !== 'Not started';
    if (!booted && RUNTIME_ONLY_ACTIONS.has(action.type)) {
      return Promise.resolve({ status: 400, fault: NOT_SUPPORTED_PRE_BOOT });
    }
    if (booted && PRE_BOOT_ONLY_ACTIONS.has(action.type)) {
      return Promise.resolve({ status: 400, fault: NOT_SUPPORTED_POST_BOOT });
    }
    if (!booted && BOOT_PATH_ACTIONS.has(action.type)) {
      this.core.bootPathConfigured = true;
    }
    const handler = HANDLERS[action.type] as ActionHandler<VmmAction['type']>;
    return Promise.resolve(handler(this.core, action, booted));
  }

  /** Releases what the VMM holds (vsock listener, uffd connection). */
  async close(): Promise<void> {
    this.core.uffd?.destroy();
    await this.core.resources.vsock?.device.close();
  }
}
