// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import path from 'node:path';
import { reconcile } from '@kindling/process';
import { AdoptedVm } from './adopted-vm.js';
import type { VmRecords } from './vm-records.js';
import type { RecoveryReport, VmRegistry } from './vm-registry.js';

/**
 * Finds the VMs a previous server recorded: running ones are re-adopted into `registry`, dead
 * ones (and folders of creates that never finished) cleaned up by `reconcile()` and reported.
 */
export const recoverVms = async (
  records: VmRecords,
  registry: VmRegistry,
  signal: AbortSignal,
): Promise<RecoveryReport> => {
  for (const { id, record } of await records.readAll()) {
    let adopted: AdoptedVm | undefined;
    if (record?.process !== undefined) {
      try {
        adopted = await AdoptedVm.adopt(
          { ...record.process, processStateDir: records.processesOf(id), jailed: record.jailed },
          signal,
        );
      } catch {
        // Its API does not answer: it cannot be driven, so it is cleaned up like a dead one.
        signal.throwIfAborted();
      }
    }
    if (record === undefined || adopted === undefined) {
      // Its first owner is dead: reconcile() kills what may still run and removes its files.
      await reconcile({ stateDir: records.processesOf(id), signal });
      await records.remove(id);
      registry.recovered.cleanedUp.push(id);
      continue;
    }
    // The metrics FIFO the server made for it, read again (a path the caller chose is not known).
    const fifo = path.join(records.folderOf(id), 'metrics.fifo');
    registry.adopt(record, adopted, existsSync(fifo) ? fifo : undefined);
    registry.recovered.adopted.push(id);
  }
  return registry.recovered;
};
