// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { NetworkError } from './errors.js';
import { createHostTools } from './host-tools.js';
import { defaultStateDir } from '@kindling/process';
import { hostToolFields, parseInput } from './network-options.js';
import type { NetworkPlan } from './network-plan.js';
import {
  isOwnerAlive,
  networkRecordsDir,
  readNetworkRecords,
  removeNetworkRecord,
} from './network-records.js';
import { tearDownNetwork } from './network-steps.js';

const schema = z.strictObject(hostToolFields);

/**
 * What `reconcileNetwork()` takes: the state folder, and how `ip`, `nft` and `sysctl` run.
 *
 * @interface
 */
export type ReconcileNetworkOptions = z.input<typeof schema>;

/** What `reconcileNetwork()` found and did. */
export interface ReconcileNetworkReport {
  /** The networks whose owner was gone: each removed (whatever of it was still there). */
  readonly removed: readonly NetworkPlan[];
  /** Records left alone because their owner still runs. */
  readonly skipped: number;
}

/**
 * Cleans up after Node processes that died without disposing of their VMs' networks (SIGKILL, a
 * crash): for every network record in `<stateDir>/network` whose owner (pid and start time) is
 * gone, it removes the TAP, the namespace and its veth, the egress rules and its use of
 * ip_forward (the last one out restores the value found), then the record. Call it after
 * `reconcile()` of `@kindling/process`, which ends the VMs that held the TAPs. Every record is
 * tried; failures are thrown together afterwards as `ERR_RECONCILE`.
 */
export const reconcileNetwork = async (
  options: ReconcileNetworkOptions = {},
): Promise<ReconcileNetworkReport> => {
  const resolved = parseInput(schema, options, 'options');
  resolved.signal?.throwIfAborted();
  const dir = networkRecordsDir(resolved.stateDir ?? defaultStateDir());
  const tools = createHostTools(resolved, resolved.signal);
  const removed: NetworkPlan[] = [];
  const failures: Error[] = [];
  let skipped = 0;
  for (const stored of await readNetworkRecords(dir)) {
    resolved.signal?.throwIfAborted();
    if ('problem' in stored) {
      failures.push(new Error(stored.problem));
      continue;
    }
    try {
      if (await isOwnerAlive(stored.record.owner)) {
        skipped += 1;
        continue;
      }
      await tearDownNetwork(tools, stored.record.plan, {
        dir,
        file: stored.file,
        wait: { timeoutMs: resolved.timeoutMs, signal: resolved.signal },
      });
      await removeNetworkRecord(stored.file);
      removed.push(stored.record.plan);
    } catch (error) {
      if (resolved.signal?.aborted === true) {
        throw resolved.signal.reason;
      }
      failures.push(new Error(`${stored.file}: ${(error as Error).message}`, { cause: error }));
    }
  }
  if (failures.length > 0) {
    throw new NetworkError(
      'ERR_RECONCILE',
      `reconcileNetwork() could not clean up ${failures.length} record(s) in ${dir}:\n${failures.map((failure) => `- ${failure.message}`).join('\n')}`,
      { cause: new AggregateError(failures) },
    );
  }
  return { removed, skipped };
};
