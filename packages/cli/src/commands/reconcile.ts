// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Command } from 'commander';
import { reconcile, type ReconcileReport } from '@kindling/process';
import type { CliContext } from '../context.js';
import { isAlive } from '../host/liveness.js';
import { listVmNames, readVmRecord, removeVmFolder } from '../host/vm-records.js';
import { runStep } from '../progress.js';
import { defineAction, type ExitBox } from './command-kit.js';

/** What `kindling reconcile` did: the SDK's report, and the VM folders it removed. */
export interface CliReconcileReport extends ReconcileReport {
  readonly removedVms: readonly string[];
}

/**
 * Cleans up after owners that died (a SIGKILLed `run` or background process): the SDK's
 * `reconcile()` kills their Firecrackers and removes their files, then the VM folders whose
 * owner is gone (or that hold no record) go.
 */
export const reconcileAll = async (context: CliContext): Promise<CliReconcileReport> => {
  const report = await reconcile({ stateDir: context.paths.processes });
  const removedVms: string[] = [];
  for (const name of await listVmNames(context.paths)) {
    const record = await readVmRecord(context.paths, name);
    if (record === undefined || !(await isAlive(record.owner))) {
      await removeVmFolder(context.paths, name);
      removedVms.push(name);
    }
  }
  return { ...report, removedVms };
};

/** `kindling reconcile`. */
export const registerReconcile = (program: Command, context: CliContext, box: ExitBox): void => {
  program
    .command('reconcile')
    .description('clean up the VMs whose kindling process died without cleaning up')
    .option('--json', 'print what was done as JSON')
    .action(
      defineAction(context, box, async ({ out }) => {
        const report = await runStep(out, 'Reconciling', () => reconcileAll(context));
        out.data(report, () =>
          report.reconciled.length === 0 && report.removedVms.length === 0
            ? `Nothing to clean up (${report.skipped} VM process(es) have a live owner)`
            : [
                ...report.reconciled.map(
                  (item) =>
                    `Firecracker pid ${item.pid}: ${item.killed ? 'killed' : 'already gone'}, ${item.removedPaths.length} path(s) removed`,
                ),
                ...report.removedVms.map((name) => `VM "${name}": record removed`),
              ].join('\n'),
        );
      }),
    );
};
