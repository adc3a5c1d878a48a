// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { isKindlingError } from '@kindling/spawner';
import type { StatePaths } from '../host/state-paths.js';
import type { VmRecord } from '../host/vm-records.js';
import { holdVm } from './hold-vm.js';
import { launchVm } from './launch-vm.js';
import type { LaunchSpec } from './launch-spec.js';

/** What the background process tells `run --detach` over IPC. */
export type SupervisorMessage =
  | { readonly type: 'ready'; readonly record: VmRecord }
  | { readonly type: 'failed'; readonly code: string; readonly message: string };

const GRACEFUL_TIMEOUT_MS = 10_000;

const send = (message: SupervisorMessage): Promise<void> =>
  new Promise((resolve) => {
    process.send?.(message, undefined, {}, () => resolve());
  });

/**
 * The background process of `run --detach`: receives the spec over IPC, starts the VM, says
 * whether it runs, lets go of its parent, then holds the VM until it ends or SIGTERM (`kindling
 * stop`) shuts it down, and cleans up. It owns the VM, so the SDK's records name it as owner
 * and `reconcile` acts once it is gone.
 */
export const supervise = async (paths: StatePaths): Promise<number> => {
  const spec = await new Promise<LaunchSpec>((resolve) => {
    process.once('message', (message) => resolve(message as LaunchSpec));
  });
  let launched;
  try {
    launched = await launchVm(spec, paths);
  } catch (error) {
    await send({
      type: 'failed',
      code: isKindlingError(error) ? error.code : 'ERR_SUPERVISOR_FAILED',
      message: (error as Error).message,
    });
    process.disconnect?.();
    return 1;
  }
  const held = holdVm(launched, paths, GRACEFUL_TIMEOUT_MS);
  const interrupt = (): void => {
    held.interrupt();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, interrupt);
  }
  await send({ type: 'ready', record: launched.record });
  process.disconnect?.();
  const end = await held.ended;
  return end.how === 'crashed' ? 1 : 0;
};
