// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Vm, VmEndEvent } from '@kindling/vm';
import type { SupervisorError } from './errors.js';

/** A child's VM ended on its own: `crash` (the VM is `crashed`) or `exit` (it is `exited`). */
export interface ChildEnd {
  readonly id: string;
  readonly vm: Vm;
  /** How its process ended, when it was seen. */
  readonly exit: VmEndEvent['detail'] | undefined;
}

/** A child was restarted. */
export interface ChildRestartDetail {
  readonly id: string;
  /** The new VM (now in `supervisor.children`). */
  readonly vm: Vm;
  /** The VM it replaces. */
  readonly previous?: Vm;
  /** The child whose end caused the restart (this one, or a sibling under the strategy). */
  readonly cause: string;
  /** Restored from the child's snapshot, or booted cold. */
  readonly from: 'snapshot' | 'cold';
  /** Why the snapshot restore failed, when it did and the child was booted cold instead. */
  readonly snapshotError?: unknown;
  /** From the moment the supervisor saw the cause's end to the new VM running, in ms. */
  readonly latencyMs: number;
  /** The child's start count, as its `start` saw it. */
  readonly attempt: number;
}

/** A restart of a child failed; it is tried again while the intensity allows. */
export interface ChildRestartFailure {
  readonly id: string;
  readonly error: unknown;
  readonly attempt: number;
}

/** A child's shutdown or cleanup failed (what was tried, and why). */
export interface ChildShutdownFailure {
  readonly id: string;
  readonly vm: Vm;
  readonly error: unknown;
}

/** The supervisor gave up: restart intensity exceeded, every child shut down. */
export interface GiveUpDetail {
  readonly error: SupervisorError<'ERR_RESTART_INTENSITY'>;
}

/** The events of a `Supervisor` and their `detail`. */
export interface SupervisorEventMap {
  crash: CustomEvent<ChildEnd>;
  exit: CustomEvent<ChildEnd>;
  restart: CustomEvent<ChildRestartDetail>;
  'restart-failed': CustomEvent<ChildRestartFailure>;
  'shutdown-failed': CustomEvent<ChildShutdownFailure>;
  'give-up': CustomEvent<GiveUpDetail>;
}

/** The names of a `Supervisor`'s events. */
export type SupervisorEventType = keyof SupervisorEventMap;

/** How a supervisor ended: what `supervisor.done` resolves with. */
export type SupervisorEnd =
  | { readonly reason: 'stopped' }
  | { readonly reason: 'give-up'; readonly error: SupervisorError<'ERR_RESTART_INTENSITY'> }
  | { readonly reason: 'start-failed'; readonly error: unknown };
