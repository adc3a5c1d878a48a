// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ResourceUsage } from '@kindling/executor';
import { checkOptionObject, checkSignal, checkTimeoutMs } from './input-checks.js';
import type { VmCore } from './vm-core.js';

/** What `vm.getResourceUsage()` takes. */
export interface VmResourceUsageOptions {
  readonly signal?: AbortSignal;
  /** Default 5 000 ms. */
  readonly timeoutMs?: number;
}

/** `vm.getResourceUsage()`: the process's cgroup reading, once there is a process to read. */
export const readVmResourceUsage = async (
  core: VmCore,
  options: VmResourceUsageOptions = {},
): Promise<ResourceUsage | undefined> => {
  const given = checkOptionObject(options, ['signal', 'timeoutMs'], 'options', 'ERR_INVALID_INPUT');
  const signal = checkSignal(given['signal'], 'options.signal');
  const timeoutMs = checkTimeoutMs(given['timeoutMs'], 'options.timeoutMs');
  // Before start() the jailer has made no cgroup; after cleanup() it is gone.
  if (!core.launched || core.cleanedUp) {
    return undefined;
  }
  return core.process.readResourceUsage({
    ...(signal === undefined ? {} : { signal }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
};
