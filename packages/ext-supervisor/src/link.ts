// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ShutdownAction, ShutdownOutcome, Vm, VmEndEvent } from '@kindling/vm';
import { z } from 'zod';
import { parseInput, SupervisorError } from './errors.js';
import { shutdownActionsSchema } from './shutdown-actions-schema.js';

/** What a link uses of a `Vm`: its state, its `exit` and `crash` events, and `shutdown()`. */
export type LinkableVm = Pick<
  Vm,
  'state' | 'addEventListener' | 'removeEventListener' | 'shutdown'
>;

/** Which ends of one side take the other down: a crash only (default), or any end. */
export type LinkTrigger = 'crash' | 'end';

/** What `link()` takes. */
export interface VmLinkOptions {
  /** `'crash'` (default): only a crash of one side shuts the other down; `'end'`: any end does. */
  readonly on?: LinkTrigger;
  /** How the other side is shut down (default: that VM's own `shutdownActions`). */
  readonly shutdownActions?: readonly ShutdownAction[];
}

/** What a link did when one side ended: the side that ended, how, and the other's shutdown. */
export interface LinkPropagation {
  readonly from: LinkableVm;
  /**
   * How `from` ended: `'crash'` also when a link shut it down because a VM linked to it crashed
   * (the cause travels on through links, as an exit signal does in Erlang).
   */
  readonly end: 'exit' | 'crash';
  readonly to: LinkableVm;
  /** What `to.shutdown()` did, when it worked. */
  readonly outcome?: ShutdownOutcome;
  /** Why `to.shutdown()` failed, when it did. */
  readonly error?: unknown;
}

/** A link's `propagate` event: fired after the other side's shutdown settled. */
export type LinkPropagateEvent = CustomEvent<LinkPropagation>;

const vmSchema = z.custom<LinkableVm>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<LinkableVm>).addEventListener === 'function' &&
    typeof (value as Partial<LinkableVm>).shutdown === 'function',
  { message: 'expected a Vm' },
);

const optionsSchema = z.strictObject({
  on: z.enum(['crash', 'end']).default('crash'),
  shutdownActions: shutdownActionsSchema.optional(),
});

type ResolvedLinkOptions = z.output<typeof optionsSchema>;

// Every live link of a VM, so that `replaceInLinks` can find them; weak: a VM nobody holds goes.
const linksOf = new WeakMap<LinkableVm, Set<VmLink>>();
// How `replaceInLinks` moves a link: private to this module, not a method users could call.
const replacers = new WeakMap<VmLink, (old: LinkableVm, next: LinkableVm) => void>();

// How each VM a link shut down was taken down: by a crash, or by a clean end under `on: 'end'`.
// Its other links see its end as that cause, as an exit signal travels on through Erlang's links:
// in a chain a–b–c, a crash of a takes c down too, though b itself was shut down cleanly.
const causeOf = new WeakMap<LinkableVm, 'exit' | 'crash'>();

const endOf = (vm: LinkableVm): 'exit' | 'crash' | undefined =>
  vm.state === 'crashed'
    ? 'crash'
    : vm.state === 'exited'
      ? (causeOf.get(vm) ?? 'exit')
      : undefined;

/**
 * A symmetric link between two VMs: when either crashes (or, with `on: 'end'`, ends in any way)
 * the other is shut down with its shutdown actions. It shuts down only; cleaning up stays with
 * whoever owns each VM. The link stays until `unlink()`: a side's clean exit under `on: 'crash'`
 * keeps it, and `replaceInLinks(old, next)` moves it to a restored VM.
 */
export class VmLink extends EventTarget implements Disposable {
  readonly #sides: [LinkableVm, LinkableVm];
  readonly #options: ResolvedLinkOptions;
  #linked = true;
  // The sides this link is shutting down: their end is its own doing, not a cause to echo back.
  readonly #endingByLink = new Set<LinkableVm>();

  /** Made by `link()`. */
  constructor(a: LinkableVm, b: LinkableVm, options: ResolvedLinkOptions) {
    super();
    this.#sides = [a, b];
    this.#options = options;
    replacers.set(this, (old, next) => {
      this.#replace(old, next);
    });
    this.#watch(a);
    this.#watch(b);
  }

  /** The two VMs, as they are now (after any `replaceInLinks`). */
  get vms(): readonly [LinkableVm, LinkableVm] {
    return [this.#sides[0], this.#sides[1]];
  }

  /** Whether the link still holds (`unlink()` not called). */
  get linked(): boolean {
    return this.#linked;
  }

  /** Removes the link: neither side's end affects the other any more. Harmless twice. */
  unlink(): void {
    if (!this.#linked) {
      return;
    }
    this.#linked = false;
    for (const vm of this.#sides) {
      this.#unwatch(vm);
    }
  }

  [Symbol.dispose](): void {
    this.unlink();
  }

  readonly #onEnd = (event: Event): void => {
    const ended = event.target as unknown as LinkableVm;
    const kind = (event as VmEndEvent).type === 'crash' ? 'crash' : (causeOf.get(ended) ?? 'exit');
    this.#propagate(ended, kind);
  };

  #watch(vm: LinkableVm): void {
    let links = linksOf.get(vm);
    if (links === undefined) {
      links = new Set();
      linksOf.set(vm, links);
    }
    links.add(this);
    vm.addEventListener('exit', this.#onEnd);
    vm.addEventListener('crash', this.#onEnd);
    // A side that has already ended as the link watches for takes the other down at once, as
    // linking to a dead process does in Erlang.
    const end = endOf(vm);
    if (end !== undefined) {
      queueMicrotask(() => {
        this.#propagate(vm, end);
      });
    }
  }

  #unwatch(vm: LinkableVm): void {
    linksOf.get(vm)?.delete(this);
    vm.removeEventListener('exit', this.#onEnd);
    vm.removeEventListener('crash', this.#onEnd);
  }

  #replace(old: LinkableVm, next: LinkableVm): void {
    const index = this.#sides.indexOf(old);
    if (!this.#linked || index === -1) {
      return;
    }
    this.#unwatch(old);
    this.#sides[index] = next;
    this.#watch(next);
  }

  #propagate(from: LinkableVm, end: 'exit' | 'crash'): void {
    if (!this.#linked || !this.#sides.includes(from) || this.#endingByLink.has(from)) {
      return;
    }
    if (end === 'exit' && this.#options.on === 'crash') {
      return;
    }
    const to = this.#sides[0] === from ? this.#sides[1] : this.#sides[0];
    void this.#shutDown(from, end, to);
  }

  // A VM whose process is not up is left as it is (the outcome says `alreadyDown`).
  async #shutDown(from: LinkableVm, end: 'exit' | 'crash', to: LinkableVm): Promise<void> {
    this.#endingByLink.add(to);
    if (to.state !== 'exited' && to.state !== 'crashed') {
      causeOf.set(to, end);
    }
    try {
      const outcome = await to.shutdown(this.#options.shutdownActions);
      this.#report({ from, end, to, outcome });
    } catch (error) {
      this.#report({ from, end, to, error });
    } finally {
      this.#endingByLink.delete(to);
    }
  }

  #report(detail: LinkPropagation): void {
    this.dispatchEvent(new CustomEvent('propagate', { detail }));
  }
}

/**
 * Links two VMs: when either crashes (or ends, with `on: 'end'`), the other is shut down with
 * `shutdownActions` (default: its own). A side that has already ended that way when linked takes
 * the other down at once. Listen for `propagate` to see each shutdown's outcome or error.
 */
export const link = (a: LinkableVm, b: LinkableVm, options: VmLinkOptions = {}): VmLink => {
  parseInput(vmSchema, a, 'a');
  parseInput(vmSchema, b, 'b');
  if (a === b) {
    throw new SupervisorError(
      'ERR_INVALID_INPUT',
      'b: a VM cannot be linked to itself, got the same Vm as a: link two different VMs',
    );
  }
  return new VmLink(a, b, parseInput(optionsSchema, options, 'options'));
};

/**
 * Moves every link of `old` to `next`, e.g. a VM restored from `old`'s snapshot (a restored `Vm`
 * is a new object). Returns how many links moved.
 */
export const replaceInLinks = (old: LinkableVm, next: LinkableVm): number => {
  parseInput(vmSchema, old, 'old');
  parseInput(vmSchema, next, 'next');
  const links = [...(linksOf.get(old) ?? [])];
  for (const one of links) {
    replacers.get(one)?.(old, next);
  }
  return links.length;
};
