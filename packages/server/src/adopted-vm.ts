// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { watchPid, type ProcessHandle, type ProcessHandleExit } from '@kindling/executor';
import { ApiClient, reconcile, type ApiMethod } from '@kindling/process';
import { VmError, type VmState } from '@kindling/vm';
import { answerOfApiError } from './owned-vm.js';
import type { PassthroughAnswer, VmHandle } from './vm-handle.js';

/** What the server recorded of a VM that lets another server process take it over. */
export interface AdoptionRecord {
  readonly pid: number;
  readonly startTime: number;
  readonly apiSocket: string;
  /** The folder of the VM's `VmmProcess` records, which `reconcile()` cleans up after. */
  readonly processStateDir: string;
  readonly jailed: boolean;
}

const FIRECRACKER_STATES: Readonly<Record<string, VmState>> = {
  'Not started': 'not-started',
  Running: 'running',
  Paused: 'paused',
};

/**
 * A Firecracker process a previous server started and left running: driven through its API
 * socket, its end seen through `/proc` (its exit status cannot be seen: it is not our child), and
 * its files removed by `reconcile()` from the records its first owner wrote.
 */
export class AdoptedVm implements VmHandle {
  readonly adopted = true;
  // Its vsock device's socket is not in its record: the guest routes refuse it (ERR_WRONG_STATE).
  readonly guest = undefined;
  readonly ended: Promise<void>;
  readonly #record: AdoptionRecord;
  readonly #process: ProcessHandle;
  readonly #api: ApiClient;
  #state: VmState;
  #stopping = false;

  private constructor(record: AdoptionRecord, process: ProcessHandle, state: VmState) {
    this.#record = record;
    this.#process = process;
    this.#api = new ApiClient({ socketPath: record.apiSocket });
    this.#state = state;
    this.ended = (async () => {
      await process.exited.catch(() => {});
      // Its exit status cannot be seen: an end the server asked for is an exit, any other a crash.
      this.#state = this.#stopping ? 'exited' : 'crashed';
    })();
  }

  /** Takes over the process a record names, or returns undefined when it is gone. */
  static async adopt(record: AdoptionRecord, signal: AbortSignal): Promise<AdoptedVm | undefined> {
    const process = await watchPid(record.pid, { startTime: record.startTime });
    if (process.exit !== undefined) {
      return undefined;
    }
    const api = new ApiClient({ socketPath: record.apiSocket });
    try {
      const info = await api.get<{ state?: string }>('/', { signal });
      const state = FIRECRACKER_STATES[info.body?.state ?? ''] ?? 'running';
      return new AdoptedVm(record, process, state);
    } finally {
      await api.close();
    }
  }

  get state(): VmState {
    return this.#state;
  }

  get pid(): number {
    return this.#record.pid;
  }

  get apiSocket(): string {
    return this.#record.apiSocket;
  }

  get exit(): ProcessHandleExit | undefined {
    return this.#process.exit;
  }

  #require(call: string, states: readonly VmState[]): void {
    if (!states.includes(this.#state)) {
      throw new VmError(
        'ERR_WRONG_STATE',
        `${call} needs the VM to be ${states.map((state) => `"${state}"`).join(' or ')}, but it is "${this.#state}"`,
      );
    }
  }

  start(): Promise<void> {
    // A re-adopted VM was started by its first server; only a not-started one could be.
    this.#require('start', ['not-started']);
    return Promise.reject(
      new VmError(
        'ERR_WRONG_STATE',
        'start of a re-adopted VM that never started: delete it and create it again',
      ),
    );
  }

  async pause(signal: AbortSignal): Promise<void> {
    this.#require('pause', ['running']);
    await this.#api.patch('/vm', { state: 'Paused' }, { signal });
    this.#state = 'paused';
  }

  async resume(signal: AbortSignal): Promise<void> {
    this.#require('resume', ['paused']);
    await this.#api.patch('/vm', { state: 'Resumed' }, { signal });
    this.#state = 'running';
  }

  async snapshot(
    type: 'Full' | 'Diff',
    snapshotPath: string,
    memoryPath: string,
    signal: AbortSignal,
  ): Promise<void> {
    this.#require('snapshot', ['paused']);
    if (this.#record.jailed) {
      // Firecracker would write inside its jail, where the new server knows no mapping back.
      throw new VmError(
        'ERR_WRONG_STATE',
        'snapshot of a re-adopted jailed VM is not supported: snapshot it before the server restarts, or through the Firecracker passthrough with paths inside its jail',
      );
    }
    // Firecracker makes no folders; `snapshot.copy()` does for a VM this server made.
    await Promise.all(
      [snapshotPath, memoryPath].map((file) =>
        mkdir(path.dirname(file), { recursive: true, mode: 0o700 }),
      ),
    );
    await this.#api.put(
      '/snapshot/create',
      { snapshot_type: type, snapshot_path: snapshotPath, mem_file_path: memoryPath },
      { signal, timeoutMs: 120_000 },
    );
  }

  async stop(
    options: { readonly timeoutMs: number; readonly force: boolean },
    signal: AbortSignal,
  ): Promise<void> {
    if (this.#process.exit !== undefined) {
      return;
    }
    this.#stopping = true;
    if (!options.force) {
      try {
        if (this.#state === 'paused') {
          await this.#api.patch('/vm', { state: 'Resumed' }, { signal });
        }
        await this.#api.put('/actions', { action_type: 'SendCtrlAltDel' }, { signal });
        await this.#process.wait({ timeoutMs: options.timeoutMs, signal });
        return;
      } catch (error) {
        signal.throwIfAborted();
        // The guest ignored it (or the API is gone): on to the kill, as `Vm.shutdown` does.
        void error;
      }
    }
    this.#process.kill('SIGKILL');
    await this.#process.wait({ signal });
  }

  async request(
    method: ApiMethod,
    apiPath: string,
    body: unknown,
    signal: AbortSignal,
  ): Promise<PassthroughAnswer> {
    try {
      const answer = await this.#api.request(method, apiPath, body, { signal });
      return { status: answer.status, body: answer.body };
    } catch (error) {
      return answerOfApiError(error);
    }
  }

  async dispose(): Promise<void> {
    this.#stopping = true;
    await this.#api.close();
    // Its first owner is dead, so reconcile() kills it (if it still runs) and removes its files.
    await reconcile({ stateDir: this.#record.processStateDir });
  }
}
