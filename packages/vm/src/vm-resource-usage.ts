// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ResourceUsage } from '@kindling/executor';
import { checkOptionObject, checkSignal, checkTimeoutMs } from './input-checks.js';
import type { VmCore } from './vm-core.js';
import { VmGuestIo } from './vm-guest-io.js';

/** What `vm.getResourceUsage()` takes. */
export interface VmResourceUsageOptions {
  readonly signal?: AbortSignal;
  /** Default 5 000 ms. */
  readonly timeoutMs?: number;
}

/** What a `Vm` tells of the host resources it uses: its cgroups' figures. */
export class VmResourceUsageReader extends VmGuestIo {
  readonly #core: VmCore;

  /** Made by `Vm.prepare` and `Vm.restore`. */
  protected constructor(core: VmCore) {
    super(core);
    this.#core = core;
  }

  /**
   * What the VM's cgroups say now: memory used (and its limit and peak), CPU time, tasks (and
   * their limit), read through the executor. `undefined` when the executor has no cgroup for the
   * VM (an `UnrestrictedExecutor`, or a jailer given neither `cgroups` nor `profile.limits`), and
   * before `start()` or after `cleanup()`. Bounded by `timeoutMs` (default 5 000 ms).
   */
  async getResourceUsage(options: VmResourceUsageOptions = {}): Promise<ResourceUsage | undefined> {
    const given = checkOptionObject(
      options,
      ['signal', 'timeoutMs'],
      'options',
      'ERR_INVALID_INPUT',
    );
    const signal = checkSignal(given['signal'], 'options.signal');
    const timeoutMs = checkTimeoutMs(given['timeoutMs'], 'options.timeoutMs');
    // Before start() the jailer has made no cgroup; after cleanup() it is gone.
    if (!this.#core.launched || this.#core.cleanedUp) {
      return undefined;
    }
    const usage = await this.#core.process.readResourceUsage({
      ...(signal === undefined ? {} : { signal }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    return usage;
  }
}
