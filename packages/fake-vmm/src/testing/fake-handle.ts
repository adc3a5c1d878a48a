// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { rm } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import type { SpawnedProcess } from '@kindling/spawner';
import { type JournalRecord, readJournal } from '../faults/journal.js';
import { waitForDetachedExit } from './detached-process.js';
import { FakeVmmError } from '../firecracker/errors.js';
import { type FakeProcess, killAndWait, pidOf } from './fake-process.js';

/** How a fake ended; both fields are null when it was detached and its status cannot be known. */
export interface FakeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running fake Firecracker; `stop()` or `await using` kills it and removes every file. */
export interface FakeFirecracker extends AsyncDisposable {
  readonly id: string;
  /** The Firecracker process: the jailer's own pid unless it daemonized or used a new pid ns. */
  readonly pid: number;
  /** The API socket (inside the jail when jailed). */
  readonly socketPath: string;
  /** The temporary folder holding the socket, jail, cgroup root and journal. */
  readonly dir: string;
  /** `<base>/firecracker/<id>/root` when jailed. */
  readonly chrootDir: string | undefined;
  /** The journal file when `journal` was set. */
  readonly journalPath: string | undefined;
  /** The serial console's input; null when Firecracker is not our child. */
  readonly stdin: Writable | null;
  /** Serial output and logs; null when daemonized (its stdio is /dev/null). */
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Settles when the process has exited (polled through /proc when detached). */
  readonly exited: Promise<FakeExit>;
  /** Reads the request journal (`journal: true` only). */
  readJournal(): Promise<JournalRecord[]>;
  /** Kills the process (SIGKILL) if it runs, waits for it, and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

/** Everything a started fake owns. */
export interface FakeState {
  readonly id: string;
  readonly dir: string;
  readonly socketPath: string;
  readonly chrootDir: string | undefined;
  readonly journalPath: string | undefined;
  /** Daemonized: Firecracker's stdio is /dev/null and the jailer's pipes are closed. */
  readonly daemonized: boolean;
  readonly fake: FakeProcess;
  /** The child whose pipes we hold: Firecracker itself, or the jailer that started it. */
  readonly child: SpawnedProcess;
  /** Forgets the fake in the exit hook. */
  readonly release: () => void;
}

const UNKNOWN_EXIT: FakeExit = { code: null, signal: null };

/** Wraps a started fake in its handle. */
export const createFakeHandle = (state: FakeState): FakeFirecracker => {
  const { fake, child } = state;
  const stopController = new AbortController();
  let exited: Promise<FakeExit> | undefined;
  let stopping: Promise<void> | undefined;
  const waitDetached = async (): Promise<FakeExit> => {
    if (fake.kind === 'child') {
      const exit = await fake.child.exited;
      return { code: exit.code, signal: exit.signal };
    }
    try {
      await waitForDetachedExit(fake.process, stopController.signal);
    } catch (error) {
      // Only stop() aborts this wait, and stop() settles once the process is gone.
      if (stopping === undefined) {
        throw error;
      }
      await stopping;
    }
    return UNKNOWN_EXIT;
  };
  const handle: FakeFirecracker = {
    id: state.id,
    pid: pidOf(fake),
    socketPath: state.socketPath,
    dir: state.dir,
    chrootDir: state.chrootDir,
    journalPath: state.journalPath,
    stdin: fake.kind === 'child' ? child.stdin : null,
    stdout: state.daemonized ? null : child.stdout,
    stderr: state.daemonized ? null : child.stderr,
    get exited() {
      exited ??= waitDetached();
      return exited;
    },
    readJournal: () =>
      state.journalPath === undefined
        ? Promise.reject(
            new FakeVmmError(
              'ERR_FAKE_INVALID_OPTIONS',
              'This fake keeps no journal: start it with { journal: true }',
            ),
          )
        : readJournal(state.journalPath),
    stop: () => {
      stopping ??= (async () => {
        try {
          await killAndWait(fake);
        } finally {
          stopController.abort();
          state.release();
          await rm(state.dir, { recursive: true, force: true });
        }
      })();
      return stopping;
    },
    [Symbol.asyncDispose]: () => handle.stop(),
  };
  return handle;
};
