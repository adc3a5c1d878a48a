// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessHandleExit } from '@kindling/executor';
import type { Vm } from '@kindling/vm';
import type { StatePaths } from '../host/state-paths.js';
import { removeVmFolder } from '../host/vm-records.js';
import type { LaunchedVm } from './launch-vm.js';

/** How a held VM ended. */
export interface HeldVmEnd {
  /**
   * `ended`: by itself (the guest rebooted or powered off); `shut-down`: gracefully, as asked;
   * `killed`: killed, as asked (a second interrupt, or a shutdown that timed out); `crashed`.
   */
  readonly how: 'ended' | 'shut-down' | 'killed' | 'crashed';
  readonly exit: ProcessHandleExit;
}

/** A VM held until it ends: `interrupt()` once shuts it down gracefully, twice kills it. */
export interface HeldVm {
  interrupt(): 'shutting-down' | 'killing' | 'ignored';
  /** Settles once the VM has ended and everything it made (its folder too) is removed. */
  readonly ended: Promise<HeldVmEnd>;
}

// The VM's end event (\`vm.waitForExit\` is bounded; a held VM may run for days).
const waitForEnd = (vm: Vm): Promise<ProcessHandleExit> =>
  new Promise((resolve) => {
    if (vm.exit !== undefined) {
      resolve(vm.exit);
      return;
    }
    const onEnd = (event: Event): void => {
      vm.removeEventListener('exit', onEnd);
      vm.removeEventListener('crash', onEnd);
      resolve((event as CustomEvent<ProcessHandleExit>).detail);
    };
    vm.addEventListener('exit', onEnd);
    vm.addEventListener('crash', onEnd);
  });

/** Graceful first: Ctrl+Alt+Del, and only when the guest ignores it, a kill. */
export const holdVm = (
  launched: LaunchedVm,
  paths: StatePaths,
  gracefulTimeoutMs: number,
): HeldVm => {
  const { vm, record } = launched;
  let asked = 'none' as 'none' | 'graceful' | 'kill';
  let killedByShutdown = false;
  const shutdowns: Promise<unknown>[] = [];
  // Each shutdown's outcome is read once the VM has ended; until then a rejection (the aborted
  // graceful one) must not count as unhandled.
  const track = (shutdown: Promise<unknown>): void => {
    shutdown.catch(() => {});
    shutdowns.push(shutdown);
  };
  const ended = (async (): Promise<HeldVmEnd> => {
    const exit = await waitForEnd(vm);
    // Every shutdown under way settles before cleanup (an aborted one rejects with the reason).
    await Promise.allSettled(shutdowns);
    const crashed = vm.state === 'crashed';
    await vm.cleanup();
    // The VM is gone: its TAP, namespace and nft tables go too (the record last).
    await launched.network?.[Symbol.asyncDispose]();
    await removeVmFolder(paths, record.name);
    if (asked === 'kill' || killedByShutdown) {
      return { how: 'killed', exit };
    }
    if (crashed) {
      return { how: 'crashed', exit };
    }
    return { how: asked === 'graceful' ? 'shut-down' : 'ended', exit };
  })();
  return {
    ended,
    interrupt: () => {
      if (asked === 'none') {
        asked = 'graceful';
        track(
          vm
            .shutdown([
              { method: 'ctrl-alt-del', timeoutMs: gracefulTimeoutMs },
              { method: 'kill' },
            ])
            .then((outcome) => {
              killedByShutdown = !outcome.alreadyDown && outcome.method === 'kill';
              return outcome;
            }),
        );
        return 'shutting-down';
      }
      if (asked === 'graceful') {
        asked = 'kill';
        // Straight to the process: the graceful shutdown still holds the VM's lifecycle, and
        // sees the end as soon as Firecracker is gone.
        process.kill(record.vmm.pid, 'SIGKILL');
        return 'killing';
      }
      return 'ignored';
    },
  };
};
