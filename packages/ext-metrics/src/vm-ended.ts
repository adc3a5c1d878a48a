// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Vm } from '@kindling/vm';

/** What `vmEnded` needs of a `Vm`. */
export type EndingVm = Pick<Vm, 'state' | 'addEventListener' | 'removeEventListener'>;

/**
 * Resolves when the VM's Firecracker process has ended (its `exit` or `crash` event), at once if
 * it already has; for `readMetrics`' `until`. `signal` stops waiting (the promise then stays
 * pending and holds nothing).
 */
export const vmEnded = (vm: EndingVm, signal?: AbortSignal): Promise<void> => {
  if (vm.state === 'exited' || vm.state === 'crashed') {
    return Promise.resolve();
  }
  const { promise, resolve } = Promise.withResolvers<void>();
  const ended = () => {
    vm.removeEventListener('exit', ended);
    vm.removeEventListener('crash', ended);
    resolve();
  };
  vm.addEventListener('exit', ended);
  vm.addEventListener('crash', ended);
  signal?.addEventListener(
    'abort',
    () => {
      vm.removeEventListener('exit', ended);
      vm.removeEventListener('crash', ended);
    },
    { once: true },
  );
  return promise;
};
