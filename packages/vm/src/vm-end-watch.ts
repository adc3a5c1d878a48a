// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Vm } from './vm.js';
import type { VmEndEvent } from './vm-api.js';

/**
 * What a `VmEndWatch` uses of a `Vm`: its state, its `'exit'` and `'crash'` events, and `getInfo()`
 * to ask Firecracker whether it still runs. Extensions pass their own narrowed view of a `Vm`.
 */
export type WatchableVm = Pick<
  Vm,
  'state' | 'getInfo' | 'addEventListener' | 'removeEventListener'
>;

const errorCodeOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;

/** How a VM ended: its exit when it was seen, nothing when only its API's silence tells. */
export interface VmEnd {
  readonly exit?: VmEndEvent['detail'];
}

// Firecracker answers GET / in well under a millisecond; a stuck API is not a dead one.
const PROBE_TIMEOUT_MS = 2_000;

/** Words for how a VM ended, for messages: `crashed (SIGKILL)`, `exited with code 0`. */
export const describeVmEnd = ({ exit }: VmEnd): string => {
  if (exit === undefined) {
    return 'ended (its Firecracker process no longer answers on its API socket)';
  }
  if (exit.kind === 'exited') {
    return `exited with code ${exit.code}`;
  }
  return exit.kind === 'signaled'
    ? `was ended by ${exit.signal}`
    : 'ended (a detached process: its exit status cannot be seen)';
};

// Asks Firecracker's API: an answer (or a stuck API) means alive; a refused connection, or a
// process no longer up, means gone.
const probeEnd = async (vm: WatchableVm): Promise<VmEnd | 'alive'> => {
  try {
    await vm.getInfo({ timeoutMs: PROBE_TIMEOUT_MS });
    return 'alive';
  } catch (error) {
    const code = errorCodeOf(error);
    return code === 'ERR_API_REQUEST' || code === 'ERR_WRONG_STATE' ? {} : 'alive';
  }
};

// One 'exit' and one 'crash' listener per VM, whatever the number of watches on it: 50 sessions or
// pooled connections must not trip Node's warning about more than 10 listeners on the VM.
const endListeners = new WeakMap<
  WatchableVm,
  { readonly each: Set<(event: VmEndEvent) => void>; readonly fire: (event: VmEndEvent) => void }
>();

const addEndListener = (vm: WatchableVm, listener: (event: VmEndEvent) => void): void => {
  let entry = endListeners.get(vm);
  if (entry === undefined) {
    const each = new Set<(event: VmEndEvent) => void>();
    const fire = (event: VmEndEvent): void => {
      for (const one of each) {
        one(event);
      }
    };
    entry = { each, fire };
    endListeners.set(vm, entry);
    vm.addEventListener('exit', fire);
    vm.addEventListener('crash', fire);
  }
  entry.each.add(listener);
};

const removeEndListener = (vm: WatchableVm, listener: (event: VmEndEvent) => void): void => {
  const entry = endListeners.get(vm);
  if (entry === undefined) {
    return;
  }
  entry.each.delete(listener);
  if (entry.each.size === 0) {
    endListeners.delete(vm);
    vm.removeEventListener('exit', entry.fire);
    vm.removeEventListener('crash', entry.fire);
  }
};

const hasEnded = (vm: WatchableVm): boolean => vm.state === 'exited' || vm.state === 'crashed';

/**
 * Watches a VM for its end (`'exit'` or `'crash'`), calling `onEnd` once; `stop()` removes the
 * listeners. Also answers "has it ended?" for a failed connection before the end event came: what
 * an extension needs so that its guest connections fail with how the VM ended, not a bare socket
 * error.
 */
export class VmEndWatch {
  readonly #vm: WatchableVm;
  readonly #onEnd: (end: VmEnd) => void;
  #end: VmEnd | undefined;
  #watching = false;
  readonly #waiters = new Set<(end: VmEnd) => void>();

  constructor(vm: WatchableVm, onEnd: (end: VmEnd) => void) {
    this.#vm = vm;
    this.#onEnd = onEnd;
    if (hasEnded(vm)) {
      this.#end = {};
      return;
    }
    addEndListener(vm, this.#listener);
    this.#watching = true;
  }

  readonly #listener = (event: VmEndEvent): void => {
    this.#record({ exit: event.detail });
  };

  #record(end: VmEnd): void {
    if (this.#end !== undefined) {
      return;
    }
    this.#end = end;
    this.stop();
    for (const waiter of this.#waiters) {
      waiter(end);
    }
    this.#waiters.clear();
    this.#onEnd(end);
  }

  /** How the VM ended, once it has (seen by its event, its state or a probe). */
  get end(): VmEnd | undefined {
    if (this.#end === undefined && hasEnded(this.#vm)) {
      this.#record({});
    }
    return this.#end;
  }

  /** Removes the listeners; the VM is no longer watched. */
  stop(): void {
    if (!this.#watching) {
      return;
    }
    this.#watching = false;
    removeEndListener(this.#vm, this.#listener);
  }

  /**
   * Whether the VM has ended, when a connection failed before its end was seen: the end event
   * may lag the socket's close (a detached Firecracker's exit is polled), so Firecracker's API is
   * asked too. A refused API connection, or a process no longer up, means the VM is gone.
   */
  async confirmEnd(): Promise<VmEnd | undefined> {
    const known = this.end;
    if (known !== undefined) {
      return known;
    }
    const { promise: seen, resolve: onSeen } = Promise.withResolvers<VmEnd>();
    this.#waiters.add(onSeen);
    try {
      const end = await Promise.race([seen, probeEnd(this.#vm)]);
      // The event may have come while the probe ran: it says how the VM ended.
      return end === 'alive' ? undefined : (this.#end ?? end);
    } finally {
      this.#waiters.delete(onSeen);
    }
  }
}
