// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createDeadline, describeValue, runWithDeadline } from '@kindling/helpers';
import { Vm } from '@kindling/vm';
import { PoolError } from './errors.js';
import { checkFreeMemory } from './memory-check.js';
import {
  releaseOptionsSchema,
  waitOptionsSchema,
  type PoolReleaseOptions,
  type PoolWaitOptions,
} from './pool-calls.js';
import { destroyEntry, type PoolEntry } from './pool-entry.js';
import type { VmPoolEventListener, VmPoolEventMap, VmPoolEventType } from './pool-events.js';
import {
  parseInput,
  type PoolRestoreContext,
  type PoolRestoreOptions,
  type ResolvedVmPoolOptions,
  type VmPoolSlot,
} from './pool-options.js';
import { computeRetryDelay } from './retry-delay.js';

/** Where a pool is in its life. */
export type VmPoolState = 'open' | 'draining' | 'drained';

/** What a pool holds at one moment. */
export interface VmPoolStats {
  readonly state: VmPoolState;
  readonly size: number;
  /** Restored, paused, waiting for `acquire()`. */
  readonly ready: number;
  /** Refills in flight (slot, restore, snapshot load). */
  readonly restoring: number;
  /** Handed out and not released yet. */
  readonly acquired: number;
  /** Slots kept by `release(vm, { reset: true })` without a VM yet: the next refills use them. */
  readonly spareSlots: number;
  /** VMs restored since the pool was made. */
  readonly restored: number;
  /** Refills failed since the last one that worked (0: healthy). */
  readonly failuresInARow: number;
}

interface Waiter {
  resolve(entry: PoolEntry): void;
  reject(error: Error): void;
}

type EventTargetListener = Parameters<EventTarget['addEventListener']>[1];
type EventTargetOptions = Parameters<EventTarget['addEventListener']>[2];

const makeRestoreOptions = (
  options: PoolRestoreOptions | undefined,
  context: PoolRestoreContext,
): object | Promise<object> => (typeof options === 'function' ? options(context) : (options ?? {}));

// What prepareSlot made must be disposable, or the pool could not destroy it.
const checkSlot = (slot: unknown): VmPoolSlot => {
  if (
    typeof (slot as Partial<VmPoolSlot> | null)?.[Symbol.asyncDispose] !== 'function' ||
    !['undefined', 'object', 'function'].includes(typeof (slot as VmPoolSlot).restoreOptions)
  ) {
    throw new PoolError(
      'ERR_INVALID_INPUT',
      `options.prepareSlot: expected it to resolve with a slot ({ restoreOptions?, [Symbol.asyncDispose]() }), got ${describeValue(slot)}`,
    );
  }
  return slot as VmPoolSlot;
};

/**
 * A warm pool: `size` VMs restored from one snapshot, loaded and paused, each `acquire()` resuming
 * one (one `PATCH /vm`) and handing it out. It refills in the background, at most
 * `maxConcurrentRestores` at once and only while the host has the memory, backs off after a failed
 * refill, and never reuses a VM: `release()` destroys it. `drain()` (or `await using`) destroys
 * everything it made. Made by `createVmPool`.
 */
export class VmPool<Slot extends VmPoolSlot = VmPoolSlot>
  extends EventTarget
  implements AsyncDisposable
{
  readonly #options: ResolvedVmPoolOptions;
  readonly #memoryBytes: number;
  readonly #lifetime = new AbortController();
  readonly #ready: PoolEntry[] = [];
  readonly #spare: PoolEntry[] = [];
  readonly #acquired = new Map<Vm, PoolEntry>();
  readonly #handedOut = new WeakSet<Vm>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #waiters: Waiter[] = [];
  readonly #backgroundFailures: unknown[] = [];
  #state: VmPoolState = 'open';
  #restoring = 0;
  #slots = 0;
  #sequence = 0;
  #restored = 0;
  #failuresInARow = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #drain: Promise<void> | undefined;

  /** @internal Use `createVmPool`, which validates the options first. Starts the first refills. */
  constructor(options: ResolvedVmPoolOptions, memoryBytes: number) {
    super();
    this.#options = options;
    this.#memoryBytes = memoryBytes;
    // Not at once: listeners added right after `await createVmPool()` see the first refills' events.
    setImmediate(() => this.#refill());
  }

  /** What the pool holds now. */
  get stats(): VmPoolStats {
    return {
      state: this.#state,
      size: this.#options.size,
      ready: this.#ready.length,
      restoring: this.#restoring,
      acquired: this.#acquired.size,
      spareSlots: this.#spare.length,
      restored: this.#restored,
      failuresInARow: this.#failuresInARow,
    };
  }

  /**
   * The slot an acquired VM runs in, as `prepareSlot` made it (its network, say); `undefined` for
   * a VM this pool did not hand out, one released, or a pool without `prepareSlot`.
   */
  slotOf(vm: Vm): Slot | undefined {
    return this.#acquired.get(vm)?.slot as Slot | undefined;
  }

  /**
   * Resumes a ready VM and hands it out, `running`; waits (FIFO) for a refill when none is ready.
   * A ready VM that cannot be resumed is destroyed (`vm-lost`) and the next one tried. Fails with
   * `ERR_WAIT_TIMEOUT` after `timeoutMs` (default 30 000), `ERR_WRONG_STATE` once the pool drains,
   * or the signal's reason. The VM is the caller's until `release(vm)`.
   */
  async acquire(options: PoolWaitOptions = {}): Promise<Vm> {
    const { signal, timeoutMs } = parseInput(waitOptionsSchema, options, 'options');
    this.#checkOpen('pool.acquire()');
    const acquired = await runWithDeadline(
      { timeoutMs, signal },
      async (deadline) => {
        for (;;) {
          this.#checkOpen('pool.acquire()');
          const entry = this.#takeReady() ?? (await this.#waitForEntry(deadline));
          const vm = entry.vm as Vm;
          this.#acquired.set(vm, entry);
          this.#handedOut.add(vm);
          try {
            await vm.resume({ signal: deadline });
            // Only now: a refill's spawn and file work would delay the resume's answer otherwise.
            this.#refill();
            return vm;
          } catch (error) {
            this.#acquired.delete(vm);
            this.#destroyInBackground(entry, false);
            this.#fire('vm-lost', { slotIndex: entry.slotIndex, exit: undefined, error });
            if (deadline.aborted) {
              throw error;
            }
          }
        }
      },
      (cause) =>
        new PoolError(
          'ERR_WAIT_TIMEOUT',
          `pool.acquire(): no VM was ready within ${timeoutMs} ms (${this.#describe()}): raise timeoutMs, the pool's size or maxConcurrentRestores, or see its refill-error events`,
          { cause },
        ),
    );
    return acquired;
  }

  /**
   * Destroys a VM `acquire()` handed out: shut down with its `shutdownActions`, cleaned up, and its
   * slot disposed of. With `reset: true` the slot is kept, and the next refill restores a fresh VM
   * into it (at once when the pool is below its size). A VM is never handed out twice. Releasing
   * one the drain destroyed already does nothing.
   */
  async release(vm: Vm, options: PoolReleaseOptions = {}): Promise<void> {
    const { reset } = parseInput(releaseOptionsSchema, options, 'options');
    const entry = this.#acquired.get(vm);
    // The drain destroyed it already: releasing it is as harmless as disposing twice.
    if (entry === undefined && this.#state !== 'open' && this.#handedOut.has(vm)) {
      return;
    }
    if (entry === undefined) {
      throw new PoolError(
        'ERR_INVALID_INPUT',
        `vm: not a VM this pool handed out, or one already released, got ${vm instanceof Vm ? `the Vm ${vm.state}` : typeof vm}: release each acquired VM once, to its own pool`,
      );
    }
    this.#acquired.delete(vm);
    const keepSlot = reset && entry.slot !== undefined && this.#state === 'open';
    const destroyed = destroyEntry(entry, keepSlot);
    // Tracked, so that a drain meanwhile waits for it; the caller gets its failure.
    this.#track(destroyed.catch(() => {}));
    await destroyed;
    if (keepSlot) {
      this.#spare.push(entry);
      this.#refill();
    }
  }

  /**
   * Resolves once `size` VMs are ready (at start, after a burst); fails with `ERR_WAIT_TIMEOUT`
   * after `timeoutMs` (default 30 000), `ERR_WRONG_STATE` once the pool drains, or the signal's
   * reason. Refill failures do not end the wait: they are retried.
   */
  async waitUntilFull(options: PoolWaitOptions = {}): Promise<void> {
    const { signal, timeoutMs } = parseInput(waitOptionsSchema, options, 'options');
    this.#checkOpen('pool.waitUntilFull()');
    using deadline = createDeadline(timeoutMs, signal);
    const full = Promise.withResolvers<void>();
    const check = (): void => {
      if (this.#state !== 'open') {
        full.reject(this.#closedError('pool.waitUntilFull()'));
      } else if (this.#ready.length >= this.#options.size) {
        full.resolve();
      }
    };
    const onAbort = (): void =>
      full.reject(
        deadline.timedOut
          ? new PoolError(
              'ERR_WAIT_TIMEOUT',
              `pool.waitUntilFull(): the pool was not full within ${timeoutMs} ms (${this.#describe()}): raise timeoutMs, or see its refill-error events`,
              { cause: deadline.signal.reason },
            )
          : deadline.signal.reason,
      );
    this.addEventListener('ready', check);
    this.#lifetime.signal.addEventListener('abort', check);
    deadline.signal.addEventListener('abort', onAbort);
    try {
      check();
      await full.promise;
    } finally {
      this.removeEventListener('ready', check);
      this.#lifetime.signal.removeEventListener('abort', check);
      deadline.signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Destroys everything the pool made: refills in flight are stopped, ready and acquired VMs shut
   * down and cleaned up, every slot disposed of; waiting `acquire()` calls fail with
   * `ERR_WRONG_STATE`. Calling it again waits for the same drain. Every failure is thrown (an
   * `AggregateError`), with those of background destroys since the pool was made.
   */
  drain(): Promise<void> {
    this.#drain ??= this.#drainAll();
    return this.#drain;
  }

  /** `drain()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.drain();
  }

  #refill(): void {
    if (this.#state !== 'open' || this.#retryTimer !== undefined) {
      return;
    }
    const { size, maxConcurrentRestores } = this.#options;
    while (this.#ready.length + this.#restoring < size && this.#restoring < maxConcurrentRestores) {
      this.#restoring += 1;
      const task = this.#fillOne().finally(() => {
        this.#restoring -= 1;
        this.#refill();
      });
      this.#track(task);
    }
  }

  async #fillOne(): Promise<void> {
    const started = performance.now();
    try {
      // Before a slot is taken: a spare slot (a namespace) is kept for when memory is back.
      checkFreeMemory(this.#memoryBytes, this.#options.memoryMarginBytes);
    } catch (error) {
      this.#scheduleRetry(error);
      return;
    }
    const entry: PoolEntry = this.#spare.shift() ?? {
      slotIndex: (this.#slots += 1),
      slot: undefined,
      vm: undefined,
      unwatch: undefined,
    };
    using deadline = createDeadline(this.#options.restoreTimeoutMs, this.#lifetime.signal);
    const { signal } = deadline;
    try {
      const { prepareSlot, restoreOptions, snapshot } = this.#options;
      if (entry.slot === undefined && prepareSlot !== undefined) {
        entry.slot = checkSlot(await prepareSlot({ slotIndex: entry.slotIndex, signal }));
        signal.throwIfAborted();
      }
      this.#sequence += 1;
      const context: PoolRestoreContext = {
        sequence: this.#sequence,
        slotIndex: entry.slotIndex,
        signal,
      };
      entry.vm = await Vm.restore(snapshot, {
        ...(await makeRestoreOptions(restoreOptions, context)),
        ...(await makeRestoreOptions(entry.slot?.restoreOptions, context)),
        resume: false,
        signal,
      });
      await entry.vm.start({ signal });
    } catch (error) {
      await this.#failRefill(entry, deadline.timedOut ? this.#timeoutError(error) : error);
      return;
    }
    if (this.#state !== 'open') {
      await destroyEntry(entry, false).catch((error: unknown) => {
        this.#backgroundFailures.push(error);
      });
      return;
    }
    this.#failuresInARow = 0;
    this.#restored += 1;
    this.#watch(entry);
    this.#offer(entry);
    this.#fire('ready', { slotIndex: entry.slotIndex, restoreMs: performance.now() - started });
  }

  #timeoutError(cause: unknown): PoolError {
    return new PoolError(
      'ERR_WAIT_TIMEOUT',
      `a refill did not finish within restoreTimeoutMs (${this.#options.restoreTimeoutMs} ms): raise it, or lower maxConcurrentRestores`,
      { cause },
    );
  }

  async #failRefill(entry: PoolEntry, error: unknown): Promise<void> {
    let reported = error;
    try {
      await destroyEntry(entry, false);
    } catch (destroyError) {
      reported = new AggregateError(
        [error, destroyError],
        'A refill failed, and what it made could not be destroyed',
      );
    }
    if (this.#state !== 'open') {
      // The drain stopped it: that is no failure of the refill's, unless something stayed behind.
      if (reported !== error) {
        this.#backgroundFailures.push(reported);
      }
      return;
    }
    this.#scheduleRetry(reported, entry.slotIndex);
  }

  // The next refill waits: a failing snapshot or host costs a few attempts a minute, not a loop.
  #scheduleRetry(error: unknown, slotIndex?: number): void {
    this.#failuresInARow += 1;
    const retryInMs = computeRetryDelay(
      this.#failuresInARow,
      this.#options.retryInitialMs,
      this.#options.retryMaxMs,
    );
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#refill();
    }, retryInMs);
    this.#fire('refill-error', {
      error,
      slotIndex,
      failuresInARow: this.#failuresInARow,
      retryInMs,
    });
  }

  // A ready VM whose Firecracker ends is no use: it goes, its slot stays for the next refill.
  #watch(entry: PoolEntry): void {
    const vm = entry.vm as Vm;
    const onEnd = (event: Event): void => {
      const index = this.#ready.indexOf(entry);
      if (index === -1) {
        return;
      }
      this.#ready.splice(index, 1);
      const exit = (event as CustomEvent<VmPoolEventMap['vm-lost']['detail']['exit']>).detail;
      const keepSlot = entry.slot !== undefined;
      const destroyed = (async () => {
        await destroyEntry(entry, keepSlot);
        if (keepSlot && this.#state === 'open') {
          this.#spare.push(entry);
        }
        this.#refill();
      })();
      this.#track(
        destroyed.catch((error: unknown) => {
          this.#backgroundFailures.push(error);
        }),
      );
      this.#fire('vm-lost', { slotIndex: entry.slotIndex, exit, error: undefined });
    };
    vm.addEventListener('exit', onEnd);
    vm.addEventListener('crash', onEnd);
    entry.unwatch = () => {
      vm.removeEventListener('exit', onEnd);
      vm.removeEventListener('crash', onEnd);
    };
  }

  #offer(entry: PoolEntry): void {
    const waiter = this.#waiters.shift();
    if (waiter === undefined) {
      this.#ready.push(entry);
      return;
    }
    entry.unwatch?.();
    entry.unwatch = undefined;
    waiter.resolve(entry);
  }

  #takeReady(): PoolEntry | undefined {
    const entry = this.#ready.shift();
    if (entry !== undefined) {
      entry.unwatch?.();
      entry.unwatch = undefined;
    }
    return entry;
  }

  #waitForEntry(signal: AbortSignal): Promise<PoolEntry> {
    signal.throwIfAborted();
    this.#checkOpen('pool.acquire()');
    return new Promise<PoolEntry>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index !== -1) {
          this.#waiters.splice(index, 1);
        }
        reject(signal.reason as Error);
      };
      const waiter: Waiter = {
        resolve: (entry) => {
          signal.removeEventListener('abort', onAbort);
          resolve(entry);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#refill();
    });
  }

  #destroyInBackground(entry: PoolEntry, keepSlot: boolean): void {
    const destroyed = async (): Promise<void> => {
      try {
        await destroyEntry(entry, keepSlot);
      } catch (error) {
        this.#backgroundFailures.push(error);
      }
      this.#refill();
    };
    this.#track(destroyed());
  }

  #track(task: Promise<void>): void {
    this.#inFlight.add(task);
    void task.finally(() => this.#inFlight.delete(task)).catch(() => {});
  }

  async #drainAll(): Promise<void> {
    this.#state = 'draining';
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#lifetime.abort(this.#closedError('the refill'));
    for (const waiter of this.#waiters.splice(0)) {
      waiter.reject(this.#closedError('pool.acquire()'));
    }
    while (this.#inFlight.size > 0) {
      await Promise.allSettled(this.#inFlight);
    }
    const entries = [
      ...this.#ready.splice(0),
      ...this.#acquired.values(),
      ...this.#spare.splice(0),
    ];
    this.#acquired.clear();
    const results = await Promise.allSettled(entries.map((entry) => destroyEntry(entry, false)));
    this.#state = 'drained';
    const failures = [
      ...this.#backgroundFailures.splice(0),
      ...results.flatMap((result): unknown[] =>
        result.status === 'rejected' ? [result.reason] : [],
      ),
    ];
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `The pool drained, but ${failures.length} VM(s) or slot(s) could not be destroyed: see the errors`,
      );
    }
  }

  #checkOpen(call: string): void {
    if (this.#state !== 'open') {
      throw this.#closedError(call);
    }
  }

  #closedError(call: string): PoolError {
    return new PoolError(
      'ERR_WRONG_STATE',
      `${call} needs the pool to be "open", but it is "${this.#state}": make a new pool`,
    );
  }

  #describe(): string {
    const stats = this.stats;
    return `ready ${stats.ready}, restoring ${stats.restoring}, acquired ${stats.acquired}, failures in a row ${stats.failuresInARow}`;
  }

  #fire<Type extends VmPoolEventType>(type: Type, detail: VmPoolEventMap[Type]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  override addEventListener<Type extends VmPoolEventType>(
    type: Type,
    listener: VmPoolEventListener<Type> | null,
    options?: EventTargetOptions,
  ): void;
  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void;
  override addEventListener(
    type: string,
    listener: EventTargetListener | VmPoolEventListener<VmPoolEventType> | null,
    options?: EventTargetOptions,
  ): void {
    super.addEventListener(type, listener as EventTargetListener, options);
  }

  override removeEventListener<Type extends VmPoolEventType>(
    type: Type,
    listener: VmPoolEventListener<Type> | null,
    options?: EventTargetOptions,
  ): void;
  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void;
  override removeEventListener(
    type: string,
    listener: EventTargetListener | VmPoolEventListener<VmPoolEventType> | null,
    options?: EventTargetOptions,
  ): void {
    super.removeEventListener(type, listener as EventTargetListener, options);
  }
}
