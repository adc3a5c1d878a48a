// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readProcessStartTime, watchPid } from '@kindling/executor';
import { ProcessError } from './errors.js';
import { removeLeftovers } from './leftover-removal.js';
import { resolveNonEmptyString, resolveSignal, resolveTimeoutMs } from './option-checks.js';
import {
  defaultStateDir,
  readProcessRecords,
  removeProcessRecord,
  type ProcessRecord,
} from './process-records.js';

/** What `reconcile()` takes. */
export interface ReconcileOptions {
  /** The state folder the `VmmProcess`es recorded into (default `defaultStateDir()`). */
  readonly stateDir?: string;
  readonly signal?: AbortSignal;
  /** How long to wait for each killed process to end (default 10 000 ms). */
  readonly timeoutMs?: number;
}

/** One process whose owner was gone, and what `reconcile()` did about it. */
export interface ReconciledProcess {
  readonly pid: number;
  readonly kind: ProcessRecord['kind'];
  /** Whether it was still running (same pid and start time) and was killed. */
  readonly killed: boolean;
  /**
   * What was found at its pid: the process itself, still `running` (so killed); nothing, as it had
   * already ended (`gone`); or `pid-reused`: another process with the same pid but another start
   * time, an unrelated one that is never signalled.
   */
  readonly found: 'running' | 'gone' | 'pid-reused';
  /**
   * What was removed for it, in order: its API socket, extra files, created and produced files
   * (its log and metrics files among them), links and the user's files moved back home, the
   * folders made for them, its jail and the folders above it that Kindling made.
   */
  readonly removedPaths: readonly string[];
}

/** What `reconcile()` found and did. */
export interface ReconcileReport {
  readonly reconciled: readonly ReconciledProcess[];
  /** Records left alone because their owner still runs. */
  readonly skipped: number;
}

const DEFAULT_KILL_WAIT_MS = 10_000;

const isOwnerAlive = async (record: ProcessRecord): Promise<boolean> =>
  (await readProcessStartTime(record.owner.pid)) === record.owner.startTime;

const reconcileOne = async (
  record: ProcessRecord,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<ReconciledProcess> => {
  // The start time makes sure a pid reused by an unrelated process is never killed.
  const handle = await watchPid(record.pid, { startTime: record.startTime });
  let killed = false;
  let found: ReconciledProcess['found'] = 'running';
  if (handle.exit === undefined) {
    killed = handle.kill('SIGKILL');
    await handle.wait({ timeoutMs, ...(signal === undefined ? {} : { signal }) });
  } else {
    found = (await readProcessStartTime(record.pid)) === undefined ? 'gone' : 'pid-reused';
  }
  // The very steps a Node process going down takes, so that both leave the same nothing behind.
  const { removed, failures } = removeLeftovers(record);
  if (failures.length > 0) {
    throw new AggregateError(
      failures,
      `could not remove ${failures.map((failure) => failure.message).join('; ')}`,
    );
  }
  return { pid: record.pid, kind: record.kind, killed, found, removedPaths: removed };
};

/**
 * Cleans up after Node processes that died without disposing their VMMs (killed by SIGKILL, a
 * power cut of the parent only, …): for every record in the state folder whose owner is gone, it
 * kills the VMM process if the same pid and start time still run, removes what the VMM's own
 * cleanup would (API socket, created and produced files such as its log, folders made for them,
 * its jail; the user's files stay or go back home), then the record. Records of live owners are left alone. Every record is tried; failures
 * are thrown together afterwards as `ERR_RECONCILE`.
 */
export const reconcile = async (options: ReconcileOptions = {}): Promise<ReconcileReport> => {
  const stateDir =
    options.stateDir === undefined
      ? defaultStateDir()
      : resolveNonEmptyString('options.stateDir', options.stateDir);
  const signal = resolveSignal('options.signal', options.signal);
  const timeoutMs = resolveTimeoutMs('options.timeoutMs', options.timeoutMs, DEFAULT_KILL_WAIT_MS);
  signal?.throwIfAborted();
  const reconciled: ReconciledProcess[] = [];
  const failures: Error[] = [];
  let skipped = 0;
  for (const stored of await readProcessRecords(stateDir)) {
    signal?.throwIfAborted();
    if ('problem' in stored) {
      failures.push(new Error(stored.problem));
      continue;
    }
    try {
      if (await isOwnerAlive(stored.record)) {
        skipped += 1;
        continue;
      }
      reconciled.push(await reconcileOne(stored.record, timeoutMs, signal));
      await removeProcessRecord(stored.file);
    } catch (error) {
      if (signal?.aborted === true) {
        throw signal.reason;
      }
      failures.push(
        new Error(`process ${stored.record.pid} (${stored.file}): ${(error as Error).message}`, {
          cause: error,
        }),
      );
    }
  }
  if (failures.length > 0) {
    throw new ProcessError(
      'ERR_RECONCILE',
      `reconcile() could not clean up ${failures.length} record(s) in ${stateDir}:\n${failures.map((failure) => `- ${failure.message}`).join('\n')}`,
      { cause: new AggregateError(failures) },
    );
  }
  return { reconciled, skipped };
};
