// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { rm } from 'node:fs/promises';
import { readProcessStartTime, watchPid } from '@kindling/executor';
import { ProcessError } from './errors.js';
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
  /** The socket and jail folder removed for it. */
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
  if (handle.exit === undefined) {
    killed = handle.kill('SIGKILL');
    await handle.wait({ timeoutMs, ...(signal === undefined ? {} : { signal }) });
  }
  const removedPaths: string[] = [];
  for (const leftover of [record.socketPath, record.jailPath]) {
    if (leftover !== undefined) {
      await rm(leftover, { recursive: true, force: true });
      removedPaths.push(leftover);
    }
  }
  return { pid: record.pid, kind: record.kind, killed, removedPaths };
};

/**
 * Cleans up after Node processes that died without disposing their VMMs (killed by SIGKILL, a
 * power cut of the parent only, …): for every record in the state folder whose owner is gone, it
 * kills the VMM process if the same pid and start time still run, removes its API socket and jail
 * folder, then the record. Records of live owners are left alone. Every record is tried; failures
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
