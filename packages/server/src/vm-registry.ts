// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { CreateVmRequest, VmInfo } from '@kindling/client';
import { ServerError } from './errors.js';
import type { MetricsFollower } from './metrics-follower.js';
import { OwnedVm } from './owned-vm.js';
import type { VmEventHub } from './vm-events.js';
import { prepareVm, type VmFactoryContext } from './vm-factory.js';
import type { ApiMethod, GuestVm, PassthroughAnswer, VmHandle, VmState } from './vm-handle.js';
import { describeVm } from './vm-info.js';
import type { VmRecord, VmRecords } from './vm-records.js';

interface Entry {
  record: VmRecord;
  readonly handle: VmHandle;
  /** The call under way on this VM: calls on one VM run one after another. */
  queue: Promise<unknown>;
  deleting: boolean;
}

/** What the server found in its state folder when it started. */
export interface RecoveryReport {
  readonly adopted: string[];
  readonly cleanedUp: string[];
}

/** The VMs one server holds: made, driven, recorded, found again after a restart, removed. */
export class VmRegistry {
  readonly recovered: RecoveryReport = { adopted: [], cleanedUp: [] };
  readonly #entries = new Map<string, Entry>();
  readonly #context: VmFactoryContext;
  readonly #records: VmRecords;
  readonly #events: VmEventHub;
  readonly #metrics: MetricsFollower;
  /** Ids taken by creates under way, so that two creates of one id cannot both proceed. */
  readonly #creating = new Set<string>();

  constructor(
    context: VmFactoryContext,
    records: VmRecords,
    events: VmEventHub,
    metrics: MetricsFollower,
  ) {
    this.#context = context;
    this.#records = records;
    this.#events = events;
    this.#metrics = metrics;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Takes over a VM a previous server left running (see `recoverVms`). */
  adopt(record: VmRecord, handle: VmHandle, metricsPath: string | undefined): void {
    this.#add(record, handle);
    this.#metrics.follow(record.id, metricsPath, handle.ended);
    this.#events.emit({ id: record.id, state: handle.state, reason: 'adopted' });
  }

  info(id: string): VmInfo {
    return this.#infoOf(this.#require(id));
  }

  list(): VmInfo[] {
    return [...this.#entries.values()].map((entry) => this.#infoOf(entry));
  }

  /** Makes a VM (and starts it unless told not to); nothing is left behind when that fails. */
  async create(body: CreateVmRequest, signal: AbortSignal): Promise<VmInfo> {
    const id = body.id ?? this.#records.newId();
    if (this.#entries.has(id) || this.#creating.has(id)) {
      throw new ServerError(
        'ERR_VM_EXISTS',
        `A VM with id "${id}" already exists: choose another id, or DELETE /v1/vms/${id} first`,
        { field: 'body.id' },
      );
    }
    if (this.#entries.size + this.#creating.size >= this.#context.config.limits.maxVms) {
      throw new ServerError(
        'ERR_VM_LIMIT',
        `This server holds its maximum of ${this.#context.config.limits.maxVms} VMs (limits.maxVms): delete one first`,
      );
    }
    this.#creating.add(id);
    try {
      return await this.#create(id, body, signal);
    } finally {
      this.#creating.delete(id);
    }
  }

  async #create(id: string, body: CreateVmRequest, signal: AbortSignal): Promise<VmInfo> {
    let folder: string;
    try {
      folder = await this.#records.create(id);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new ServerError(
          'ERR_VM_EXISTS',
          `A VM folder for "${id}" already exists in ${this.#records.dir}: choose another id`,
          { field: 'body.id', cause: error },
        );
      }
      throw error;
    }
    const record: VmRecord = {
      id,
      createdAt: new Date().toISOString(),
      labels: body.labels ?? {},
      source: body.source.kind,
      jailed: body.executor?.kind === 'jailed',
    };
    let handle: VmHandle | undefined;
    try {
      await this.#records.write(record);
      const { vm, metricsPath } = await prepareVm(
        this.#context,
        body.source,
        body.executor ?? { kind: 'unrestricted' },
        { id, folder, processStateDir: this.#records.processesOf(id) },
        signal,
      );
      handle = new OwnedVm(vm);
      // Read before the start: Firecracker opens a metrics FIFO as it starts, and waits for a reader.
      this.#metrics.follow(id, metricsPath, handle.ended);
      if (body.start ?? true) {
        await handle.start(signal);
        await this.#records.recordProcess(record, handle);
      }
    } catch (error) {
      this.#metrics.remove(id);
      await handle?.dispose().catch(() => {});
      await this.#records.remove(id);
      throw error;
    }
    const entry = this.#add(record, handle);
    this.#events.emit({ id, state: handle.state, reason: 'created' });
    return this.#infoOf(entry);
  }

  #add(record: VmRecord, handle: VmHandle): Entry {
    const entry: Entry = { record, handle, queue: Promise.resolve(), deleting: false };
    this.#entries.set(record.id, entry);
    void (async () => {
      await handle.ended;
      if (!entry.deleting) {
        this.#events.emit({
          id: record.id,
          state: handle.state,
          reason: handle.state === 'crashed' ? 'crashed' : 'ended',
        });
      }
    })();
    return entry;
  }

  #require(id: string): Entry {
    const entry = this.#entries.get(id);
    if (entry === undefined || entry.deleting) {
      throw new ServerError(
        'ERR_VM_NOT_FOUND',
        `No VM "${id}" on this server: GET /v1/vms lists them`,
        { field: 'params.id' },
      );
    }
    return entry;
  }

  // Runs `call` once the VM's earlier calls are done, and reports a change of state.
  #run<T>(id: string, reason: string, call: (entry: Entry) => Promise<T>): Promise<T> {
    const entry = this.#require(id);
    const run = entry.queue.then(async () => {
      const before: VmState = entry.handle.state;
      try {
        return await call(entry);
      } finally {
        const after = entry.handle.state;
        if (after !== before && !entry.deleting) {
          this.#events.emit({ id, state: after, previousState: before, reason });
        }
      }
    });
    entry.queue = run.catch(() => {});
    return run;
  }

  start(id: string, signal: AbortSignal): Promise<VmInfo> {
    return this.#run(id, 'started', async (entry) => {
      await entry.handle.start(signal);
      await this.#records.recordProcess(entry.record, entry.handle);
      return this.#infoOf(entry);
    });
  }

  pause(id: string, signal: AbortSignal): Promise<VmInfo> {
    return this.#run(id, 'paused', async (entry) => {
      await entry.handle.pause(signal);
      return this.#infoOf(entry);
    });
  }

  resume(id: string, signal: AbortSignal): Promise<VmInfo> {
    return this.#run(id, 'resumed', async (entry) => {
      await entry.handle.resume(signal);
      return this.#infoOf(entry);
    });
  }

  /** A snapshot of a running VM pauses it, writes the files and resumes it. */
  snapshot(
    id: string,
    type: 'Full' | 'Diff',
    snapshotPath: string,
    memoryPath: string,
    signal: AbortSignal,
  ): Promise<void> {
    return this.#run(id, 'snapshot', async (entry) => {
      const wasRunning = entry.handle.state === 'running';
      if (wasRunning) {
        await entry.handle.pause(signal);
      }
      try {
        await entry.handle.snapshot(type, snapshotPath, memoryPath, signal);
      } finally {
        if (wasRunning && (entry.handle.state as VmState) === 'paused') {
          await entry.handle.resume(signal);
        }
      }
    });
  }

  stop(
    id: string,
    options: { timeoutMs: number; force: boolean },
    signal: AbortSignal,
  ): Promise<VmInfo> {
    return this.#run(id, 'stopped', async (entry) => {
      await entry.handle.stop(options, signal);
      return this.#infoOf(entry);
    });
  }

  request(
    id: string,
    method: ApiMethod,
    apiPath: string,
    body: unknown,
    signal: AbortSignal,
  ): Promise<PassthroughAnswer> {
    return this.#run(id, 'firecracker-api', (entry) =>
      entry.handle.request(method, apiPath, body, signal),
    );
  }

  /**
   * The `Vm` of a VM's guest, for exec, files and HTTP over vsock. Not queued behind the VM's
   * other calls: a command may run for minutes, and the extensions refuse a VM that is not running.
   */
  guest(id: string): GuestVm {
    const { handle } = this.#require(id);
    if (handle.guest === undefined) {
      throw new ServerError(
        'ERR_WRONG_STATE',
        `VM "${id}" was re-adopted after a restart of the server, which has no vsock connection to its guest: recreate it to reach its guest`,
        { field: 'params.id' },
      );
    }
    return handle.guest;
  }

  /** Stops the VM if it runs (a kill), removes everything it made, and forgets it. */
  async delete(id: string): Promise<void> {
    await this.#run(id, 'deleted', async (entry) => {
      const before = entry.handle.state;
      entry.deleting = true;
      await entry.handle.dispose();
      this.#metrics.remove(id);
      await this.#records.remove(id);
      this.#entries.delete(id);
      this.#events.emit({ id, state: 'deleted', previousState: before, reason: 'deleted' });
    });
  }

  /**
   * Waits for calls under way, then either shuts every VM down and removes it, or leaves them
   * running and recorded for the next server (the default).
   */
  async close(shutdownVms: boolean): Promise<void> {
    await Promise.allSettled([...this.#entries.values()].map((entry) => entry.queue));
    if (shutdownVms) {
      await Promise.allSettled([...this.#entries.keys()].map((id) => this.delete(id)));
    }
  }

  #infoOf(entry: Entry): VmInfo {
    return describeVm(entry.record, entry.handle);
  }
}
