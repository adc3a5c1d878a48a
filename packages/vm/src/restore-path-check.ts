// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { JailedExecutor } from '@kindling/executor';
import { VmError } from './errors.js';
import type { VmCoreParts } from './vm-core.js';

const describeRemedy = (recorded: string, hostPath: string, executor: unknown): string => {
  if (recorded === hostPath) {
    return 'restore with an UnrestrictedExecutor, as the snapshotted VM had, so that Firecracker opens the file where it is';
  }
  const lands = `so that the file lands at ${recorded} again`;
  return executor instanceof JailedExecutor
    ? `restore with the same VirtualPathResolver as the snapshotted VM, ${lands}`
    : `restore with a JailedExecutor and the same VirtualPathResolver as the snapshotted VM, ${lands}`;
};

// A restored VM's drives must open where the snapshot recorded them: Firecracker reopens each
// device file at its recorded path and cannot be told another.
export const checkRestoredPaths = (parts: VmCoreParts): void => {
  const { configuration, executor } = parts.options;
  if (configuration.kind !== 'restored-from-snapshot') {
    return;
  }
  for (const [index, file] of (configuration.deviceFiles ?? []).entries()) {
    const landed = parts.files.get(`deviceFiles[${index}].hostPath`)?.virtualPath;
    if (file.virtualPath !== undefined && landed !== file.virtualPath) {
      const executorName = (executor as object).constructor.name;
      throw new VmError(
        'ERR_RESTORE_PATH_MISMATCH',
        `Vm.prepare(): the snapshot recorded the device file ${file.hostPath} at ${file.virtualPath}, the path its Firecracker opened, but this ${executorName} would have Firecracker open it at ${String(landed)}: ${describeRemedy(file.virtualPath, file.hostPath, executor)}`,
      );
    }
  }
};
