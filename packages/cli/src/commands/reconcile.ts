// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Command } from 'commander';
import { reconcileNetwork } from '@kindling/ext-network';
import { reconcile, type ReconcileReport } from '@kindling/process';
import type { CliContext } from '../context.js';
import { isAlive } from '../host/liveness.js';
import { listVmNames, readVmRecord, removeVmFolder } from '../host/vm-records.js';
import { runStep } from '../progress.js';
import { defineAction, type ExitBox } from './command-kit.js';

/** A network `reconcileNetwork()` removed: its VM, TAP, namespace and nft table by name. */
export interface RemovedNetwork {
  readonly vmId: string;
  readonly tap: string;
  readonly netns?: string;
  readonly hostTable?: string;
}

/**
 * What `kindling reconcile` did: the SDK's report, the networks of @kindling/ext-network it
 * removed (and how many belong to live owners), and the VM folders it removed.
 */
export interface CliReconcileReport extends ReconcileReport {
  readonly networks: { readonly removed: readonly RemovedNetwork[]; readonly skipped: number };
  readonly removedVms: readonly string[];
}

/**
 * Cleans up after owners that died (a SIGKILLed `run` or background process): the SDK's
 * `reconcile()` kills their Firecrackers and removes their files, then the VM folders whose
 * owner is gone (or that hold no record) go.
 */
export const reconcileAll = async (context: CliContext): Promise<CliReconcileReport> => {
  const report = await reconcile({ stateDir: context.paths.processes });
  // After reconcile(): the VMs are gone, so their networks may go.
  const networkReport = await reconcileNetwork({ stateDir: context.paths.processes });
  const networks = {
    removed: networkReport.removed.map((plan) => ({
      vmId: plan.vmId,
      tap: plan.tap,
      ...(plan.netns === undefined ? {} : { netns: plan.netns.name }),
      ...(plan.egress === undefined ? {} : { hostTable: plan.egress.hostTable }),
    })),
    skipped: networkReport.skipped,
  };
  const removedVms: string[] = [];
  for (const name of await listVmNames(context.paths)) {
    const record = await readVmRecord(context.paths, name);
    if (record === undefined || !(await isAlive(record.owner))) {
      await removeVmFolder(context.paths, name);
      removedVms.push(name);
    }
  }
  return { ...report, networks, removedVms };
};

// What was found at a recorded pid, in words.
const FOUND_WORDS: Record<ReconcileReport['reconciled'][number]['found'], string> = {
  running: 'killed',
  gone: 'already gone',
  'pid-reused': 'left alone (its pid now names another process)',
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
          report.reconciled.length === 0 &&
          report.removedVms.length === 0 &&
          report.networks.removed.length === 0
            ? `Nothing to clean up (${report.skipped} VM process(es) have a live owner)`
            : [
                ...report.reconciled.map(
                  (item) =>
                    `Firecracker pid ${item.pid}: ${FOUND_WORDS[item.found]}, ${item.removedPaths.length} path(s) removed`,
                ),
                ...report.networks.removed.map(
                  (item) =>
                    `network of "${item.vmId}": TAP ${item.tap}${item.netns === undefined ? '' : `, namespace ${item.netns}`}${item.hostTable === undefined ? '' : `, nft table ${item.hostTable}`} removed`,
                ),
                ...report.removedVms.map((name) => `VM "${name}": record removed`),
              ].join('\n'),
        );
      }),
    );
};
