// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { performance } from 'node:perf_hooks';
import { raceSignal } from '@kindling/helpers';
import type { Vm, VmEndEvent } from '@kindling/vm';
import { SupervisorError } from './errors.js';
import { launchChild, type LaunchedChild } from './launch-child.js';
import { replaceInLinks } from './link.js';
import { RestartIntensity } from './restart-intensity.js';
import type {
  SupervisorEnd,
  SupervisorEventMap,
  SupervisorEventType,
} from './supervisor-events.js';
import {
  parseSupervisorOptions,
  type ResolvedChildSpec,
  type ResolvedSupervisorOptions,
  type SupervisorOptions,
} from './supervisor-options.js';

/** Where a supervisor is: before `start()`, starting its children, running, stopping, done. */
export type SupervisorState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

interface RunningChild {
  readonly vm: Vm;
  readonly unwatch: () => void;
}

type Listener<Method extends 'addEventListener' | 'removeEventListener'> = Parameters<
  EventTarget[Method]
>[1];
type ListenerOptions<Method extends 'addEventListener' | 'removeEventListener'> = Parameters<
  EventTarget[Method]
>[2];

// What the mailbox keeps of a task: that it settled.
const settled = (): void => {};

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * Keeps VMs running as an Erlang/OTP supervisor keeps processes: it starts its children in
 * order, and when one ends on its own it restarts it (and, by the strategy, its siblings), from
 * the child's snapshot when one is configured. More than `maxRestarts` restarts within
 * `withinMs` and it gives up: every child is shut down and `done` resolves with the reason.
 * The supervisor owns its children's VMs: it shuts down and cleans up each VM it replaces or
 * stops. Events: `crash`, `exit`, `restart`, `restart-failed`, `shutdown-failed`, `give-up`.
 */
export class Supervisor extends EventTarget implements AsyncDisposable {
  readonly #options: ResolvedSupervisorOptions;
  #specs: readonly ResolvedChildSpec[];
  readonly #running = new Map<string, RunningChild>();
  readonly #attempts = new Map<string, number>();
  readonly #intensity: RestartIntensity;
  readonly #stop = new AbortController();
  readonly #done = Promise.withResolvers<SupervisorEnd>();
  #state: SupervisorState = 'idle';
  // Starts, restarts and stops run one at a time, in the order their causes were seen.
  #mailbox: Promise<void> = Promise.resolve();
  #stopping: Promise<void> | undefined;

  /** Validates the options (`ERR_INVALID_INPUT` naming a bad field); nothing starts yet. */
  constructor(options: SupervisorOptions) {
    super();
    this.#options = parseSupervisorOptions(options);
    this.#specs = this.#options.children;
    this.#intensity = new RestartIntensity(this.#options.maxRestarts, this.#options.withinMs);
  }

  /** Where the supervisor is in its life. */
  get state(): SupervisorState {
    return this.#state;
  }

  /**
   * Each child's current VM by id, in start order. A VM that has just ended stays until its
   * restart replaces it; a child that is not to be restarted is absent once handled.
   */
  get children(): ReadonlyMap<string, Vm> {
    const children = new Map<string, Vm>();
    for (const spec of this.#specs) {
      const running = this.#running.get(spec.id);
      if (running !== undefined) {
        children.set(spec.id, running.vm);
      }
    }
    return children;
  }

  /** Resolves once the supervisor has ended: stopped, given up, or failed to start. */
  get done(): Promise<SupervisorEnd> {
    return this.#done.promise;
  }

  /**
   * Starts every child in order, each within `startTimeoutMs`. When one fails, those started
   * before it are shut down (in reverse order) and `ERR_CHILD_START_FAILED` is thrown with the
   * child's error as its cause. A second `start()` is `ERR_WRONG_STATE`.
   */
  start(): Promise<void> {
    if (this.#state !== 'idle') {
      return Promise.reject(
        new SupervisorError(
          'ERR_WRONG_STATE',
          `supervisor.start() needs a supervisor that was never started, but it is "${this.#state}": make a new Supervisor`,
        ),
      );
    }
    this.#state = 'starting';
    return this.#enqueue(() => this.#startAll());
  }

  /**
   * Stops supervising: a start or restart in progress is aborted, then every child is shut down
   * and cleaned up in reverse start order, each within `stopTimeoutMs`. Harmless twice; failures
   * are thrown together once every child was tried.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stopNow();
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /** Listens for one of the supervisor's events. */
  override addEventListener<Type extends SupervisorEventType>(
    type: Type,
    listener: ((event: SupervisorEventMap[Type]) => void) | null,
    options?: ListenerOptions<'addEventListener'>,
  ): void;
  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void;
  override addEventListener(
    type: string,
    listener: Listener<'addEventListener'> | ((event: never) => void) | null,
    options?: ListenerOptions<'addEventListener'>,
  ): void {
    super.addEventListener(type, listener as Listener<'addEventListener'>, options);
  }

  /** Stops listening. */
  override removeEventListener<Type extends SupervisorEventType>(
    type: Type,
    listener: ((event: SupervisorEventMap[Type]) => void) | null,
    options?: ListenerOptions<'removeEventListener'>,
  ): void;
  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void;
  override removeEventListener(
    type: string,
    listener: Listener<'removeEventListener'> | ((event: never) => void) | null,
    options?: ListenerOptions<'removeEventListener'>,
  ): void {
    super.removeEventListener(type, listener as Listener<'removeEventListener'>, options);
  }

  #emit<Type extends SupervisorEventType>(
    type: Type,
    detail: SupervisorEventMap[Type]['detail'],
  ): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#mailbox.then(task);
    // The mailbox goes on whatever a task did: its caller has the task's own promise.
    this.#mailbox = run.then(settled, settled);
    return run;
  }

  async #startAll(): Promise<void> {
    for (const spec of this.#specs) {
      let launched: LaunchedChild;
      try {
        launched = await this.#launch(spec, false);
      } catch (error) {
        if (this.#stop.signal.aborted) {
          throw error;
        }
        const failure = new SupervisorError(
          'ERR_CHILD_START_FAILED',
          `child "${spec.id}" did not start: ${messageOf(error)}; the children started before it were shut down`,
          { cause: error },
        );
        this.#state = 'stopping';
        await this.#shutDownAll();
        this.#finish({ reason: 'start-failed', error: failure });
        throw failure;
      }
      this.#adopt(spec.id, launched.vm);
    }
    // A stop() that came after the last child started has the last word.
    if (this.#state === 'starting') {
      this.#state = 'running';
    }
  }

  async #stopNow(): Promise<void> {
    if (this.#state === 'stopped') {
      return;
    }
    this.#state = 'stopping';
    this.#stop.abort(new Error('the supervisor was stopped'));
    await this.#mailbox;
    const failures = await this.#shutDownAll();
    this.#finish({ reason: 'stopped' });
    if (failures.length > 0) {
      throw new AggregateError(failures, 'Some children could not be shut down');
    }
  }

  #finish(end: SupervisorEnd): void {
    this.#state = 'stopped';
    this.#done.resolve(end);
  }

  #launch(spec: ResolvedChildSpec, fromSnapshot: boolean): Promise<LaunchedChild> {
    const attempt = (this.#attempts.get(spec.id) ?? 0) + 1;
    this.#attempts.set(spec.id, attempt);
    return launchChild(spec, {
      attempt,
      fromSnapshot,
      timeoutMs: this.#options.startTimeoutMs,
      signal: this.#stop.signal,
      onDisposalError: (vm, error) => {
        this.#emit('shutdown-failed', { id: spec.id, vm, error });
      },
    });
  }

  // Watches a child's new VM for its end.
  #adopt(id: string, vm: Vm): void {
    const onEnd = (event: Event): void => {
      this.#childEnded(id, vm, event.type === 'crash' ? 'crash' : 'exit', event as VmEndEvent);
    };
    vm.addEventListener('exit', onEnd);
    vm.addEventListener('crash', onEnd);
    this.#running.set(id, {
      vm,
      unwatch: () => {
        vm.removeEventListener('exit', onEnd);
        vm.removeEventListener('crash', onEnd);
      },
    });
    // It may have ended before it was watched: its event has gone, its state tells.
    if (vm.state === 'crashed' || vm.state === 'exited') {
      this.#childEnded(id, vm, vm.state === 'crashed' ? 'crash' : 'exit');
    }
  }

  #childEnded(id: string, vm: Vm, kind: 'crash' | 'exit', event?: VmEndEvent): void {
    const running = this.#running.get(id);
    if (running?.vm !== vm) {
      return;
    }
    running.unwatch();
    const seenAt = performance.now();
    this.#emit(kind, { id, vm, exit: event?.detail ?? vm.exit });
    void this.#enqueue(() => this.#handleEnd(id, vm, kind, seenAt));
  }

  // OTP's restart decision: whether this end restarts the child, and which siblings go with it.
  async #handleEnd(id: string, vm: Vm, kind: 'crash' | 'exit', seenAt: number): Promise<void> {
    const spec = this.#specs.find((one) => one.id === id);
    if (this.#state !== 'running' || spec === undefined || this.#running.get(id)?.vm !== vm) {
      return;
    }
    const restart =
      spec.restart === 'permanent' || (spec.restart === 'transient' && kind === 'crash');
    if (!restart) {
      await this.#shutDown(id);
      this.#specs =
        spec.restart === 'temporary' ? this.#specs.filter((one) => one !== spec) : this.#specs;
      return;
    }
    if (!this.#intensity.tryRestart(performance.now())) {
      await this.#giveUp(id);
      return;
    }
    const affected = this.#affectedBy(spec);
    const previous = new Map(affected.map((one) => [one.id, this.#running.get(one.id)?.vm]));
    for (const one of affected.toReversed()) {
      await this.#shutDown(one.id);
    }
    // A temporary sibling that was shut down is not restarted: it is dropped, as in OTP.
    const dropped = new Set(affected.filter((one) => one.restart === 'temporary'));
    this.#specs = this.#specs.filter((one) => !dropped.has(one));
    for (const one of affected.filter((each) => !dropped.has(each))) {
      if (!(await this.#restart(one, previous.get(one.id), id, seenAt))) {
        return;
      }
    }
  }

  // The children a restart of `spec` takes down: by the strategy, among those that run.
  #affectedBy(spec: ResolvedChildSpec): ResolvedChildSpec[] {
    const { strategy } = this.#options;
    const index = this.#specs.indexOf(spec);
    return this.#specs.filter(
      (one, at) =>
        one === spec ||
        (this.#running.has(one.id) &&
          (strategy === 'one-for-all' || (strategy === 'rest-for-one' && at > index))),
    );
  }

  // Restarts one child, again after each failure while the intensity allows; false when the
  // supervisor stopped or gave up meanwhile.
  async #restart(
    spec: ResolvedChildSpec,
    previous: Vm | undefined,
    cause: string,
    seenAt: number,
  ): Promise<boolean> {
    for (;;) {
      if (this.#state !== 'running') {
        return false;
      }
      try {
        const launched = await this.#launch(spec, true);
        this.#adopt(spec.id, launched.vm);
        if (previous !== undefined) {
          replaceInLinks(previous, launched.vm);
        }
        this.#emit('restart', {
          id: spec.id,
          vm: launched.vm,
          ...(previous === undefined ? {} : { previous }),
          cause,
          from: launched.from,
          ...(launched.snapshotError === undefined
            ? {}
            : { snapshotError: launched.snapshotError }),
          latencyMs: performance.now() - seenAt,
          attempt: this.#attempts.get(spec.id) ?? 0,
        });
        return true;
      } catch (error) {
        if (this.#stop.signal.aborted) {
          return false;
        }
        this.#emit('restart-failed', {
          id: spec.id,
          error,
          attempt: this.#attempts.get(spec.id) ?? 0,
        });
        if (!this.#intensity.tryRestart(performance.now())) {
          await this.#giveUp(spec.id);
          return false;
        }
      }
    }
  }

  async #giveUp(id: string): Promise<void> {
    const { maxRestarts, withinMs } = this.#options;
    const error = new SupervisorError(
      'ERR_RESTART_INTENSITY',
      `child "${id}" would be restarted more than ${maxRestarts} time(s) within ${withinMs} ms: the supervisor gave up and shut every child down; find why it ends (its crash events say how), or allow more restarts (maxRestarts, withinMs)`,
    );
    this.#state = 'stopping';
    await this.#shutDownAll();
    this.#emit('give-up', { error });
    this.#finish({ reason: 'give-up', error });
  }

  // Shuts every child down, last started first; returns the failures (each also an event).
  async #shutDownAll(): Promise<unknown[]> {
    const failures: unknown[] = [];
    for (const spec of this.#specs.toReversed()) {
      const failure = await this.#shutDown(spec.id);
      if (failure !== undefined) {
        failures.push(failure);
      }
    }
    return failures;
  }

  // Shuts one child's VM down (with its own shutdown actions) and cleans it up, bounded.
  async #shutDown(id: string): Promise<unknown> {
    const running = this.#running.get(id);
    if (running === undefined) {
      return undefined;
    }
    running.unwatch();
    this.#running.delete(id);
    try {
      await raceSignal(
        running.vm[Symbol.asyncDispose](),
        AbortSignal.timeout(this.#options.stopTimeoutMs),
      );
      return undefined;
    } catch (error) {
      this.#emit('shutdown-failed', { id, vm: running.vm, error });
      return error;
    }
  }
}
