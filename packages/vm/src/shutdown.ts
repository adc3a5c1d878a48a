// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessHandleExit } from '@kindling/executor';
import { VmError } from './errors.js';
import {
  MAX_TIMER_MS,
  checkOptionObject,
  checkOptionalBoolean,
  failInput,
} from './input-checks.js';

/**
 * How to ask a microVM's process to end:
 * - `ctrl-alt-del`: `SendCtrlAltDel` (x86_64 only); a guest with i8042 and `reboot=k` reboots,
 *   and Firecracker exits 0. A paused VM is resumed first, since a paused guest cannot react.
 * - `write-serial`: types `input` (default `reboot\n`) on the serial console, which is
 *   Firecracker's stdin (an attached process only).
 * - `pause-then-kill`: pauses a running VM, so its vCPUs stop before the process dies, then
 *   SIGKILL (the usual way on aarch64, which has no Ctrl+Alt+Del).
 * - `kill`: SIGKILL (Firecracker handles neither SIGTERM nor SIGINT).
 */
export type ShutdownMethod = 'ctrl-alt-del' | 'write-serial' | 'pause-then-kill' | 'kill';

/** One step of a shutdown: a method, how long to wait for the exit, and whether it is graceful. */
export interface ShutdownAction {
  readonly method: ShutdownMethod;
  /** How long to wait for the process to end after the method (default 10 000 ms; 5 000 for kills). */
  readonly timeoutMs?: number;
  /** Whether ending this way counts as graceful (default true for `ctrl-alt-del` and `write-serial`). */
  readonly graceful?: boolean;
  /** `write-serial` only: the bytes to type (default `"reboot\n"`). */
  readonly input?: string | Uint8Array;
}

/** A `ShutdownAction` with its defaults applied. */
export interface ResolvedShutdownAction {
  readonly method: ShutdownMethod;
  readonly timeoutMs: number;
  readonly graceful: boolean;
  readonly input: string | Uint8Array;
}

/** An action that did not end the process, and why. */
export interface ShutdownActionFailure {
  /** Its position in the list of actions. */
  readonly index: number;
  readonly method: ShutdownMethod;
  readonly error: unknown;
}

/** What `vm.shutdown()` did when one of its actions ended the process. */
export interface ShutdownByAction {
  readonly alreadyDown: false;
  /** The action that ended the process, and its position in the list. */
  readonly method: ShutdownMethod;
  readonly index: number;
  /**
   * Whether the shutdown was graceful: the action is graceful, and the process did not end by a
   * signal or with a non-zero code (a detached process's code cannot be seen: it counts as 0).
   */
  readonly graceful: boolean;
  /** How the process ended. */
  readonly exit: ProcessHandleExit;
  /** The actions tried before, which did not end the process. */
  readonly failures: readonly ShutdownActionFailure[];
}

/** What `vm.shutdown()` says of a VM whose process was not up: there was nothing to end. */
export interface ShutdownAlreadyDown {
  readonly alreadyDown: true;
  /** No action was taken. */
  readonly method: undefined;
  readonly index: undefined;
  /** Whether it had ended without crashing (state `exited`), or never started. */
  readonly graceful: boolean;
  /** How the process had ended, or `undefined` when it never started. */
  readonly exit: ProcessHandleExit | undefined;
  /** Always empty: no action was tried. */
  readonly failures: readonly ShutdownActionFailure[];
}

/**
 * What `vm.shutdown()` did: ended the process with one of its actions, or found it already down
 * (`alreadyDown`), so that teardown code needs no state check.
 */
export type ShutdownOutcome = ShutdownByAction | ShutdownAlreadyDown;

/** What `runShutdownSequence` drives: the VM's side of each step. */
export interface ShutdownRunner {
  /** Performs an action's method (the request, the write, the signal), not the wait. */
  perform(action: ResolvedShutdownAction, signal: AbortSignal | undefined): Promise<void>;
  /** Waits up to `timeoutMs` for the process to end; rejects when it does not. */
  waitForExit(timeoutMs: number, signal: AbortSignal | undefined): Promise<ProcessHandleExit>;
  /** How the process ended, if it already has. */
  readonly exit: ProcessHandleExit | undefined;
}

/** The actions `vm.shutdown()` takes when given none: Ctrl+Alt+Del, then SIGKILL. */
export const DEFAULT_SHUTDOWN_ACTIONS: readonly ShutdownAction[] = [
  { method: 'ctrl-alt-del', timeoutMs: 10_000 },
  { method: 'kill', timeoutMs: 5_000 },
];

const METHODS: readonly ShutdownMethod[] = [
  'ctrl-alt-del',
  'write-serial',
  'pause-then-kill',
  'kill',
];
const CODE = 'ERR_INVALID_INPUT';

const isKill = (method: ShutdownMethod): boolean =>
  method === 'kill' || method === 'pause-then-kill';

/** Validates shutdown actions and applies their defaults; an empty list is refused. */
export const resolveShutdownActions = (
  actions: unknown,
  subject = 'actions',
): ResolvedShutdownAction[] => {
  if (!Array.isArray(actions) || actions.length === 0) {
    return failInput(CODE, subject, 'expected a non-empty array of shutdown actions', actions);
  }
  return actions.map((value: unknown, index) => {
    const where = `${subject}[${index}]`;
    const action = checkOptionObject(
      value,
      ['method', 'timeoutMs', 'graceful', 'input'],
      where,
      CODE,
    );
    const method = action['method'];
    if (!METHODS.includes(method as ShutdownMethod)) {
      failInput(CODE, `${where}.method`, `expected one of ${METHODS.join(', ')}`, method);
    }
    const resolvedMethod = method as ShutdownMethod;
    const timeoutMs = action['timeoutMs'] ?? (isKill(resolvedMethod) ? 5_000 : 10_000);
    if (
      !Number.isInteger(timeoutMs) ||
      (timeoutMs as number) <= 0 ||
      (timeoutMs as number) > MAX_TIMER_MS
    ) {
      failInput(
        CODE,
        `${where}.timeoutMs`,
        `expected a positive integer up to ${MAX_TIMER_MS}`,
        timeoutMs,
      );
    }
    const input = action['input'];
    if (input !== undefined && resolvedMethod !== 'write-serial') {
      failInput(CODE, `${where}.input`, "is for method 'write-serial' only", input);
    }
    if (input !== undefined && typeof input !== 'string' && !(input instanceof Uint8Array)) {
      failInput(CODE, `${where}.input`, 'expected a string or a Uint8Array', input);
    }
    return {
      method: resolvedMethod,
      timeoutMs: timeoutMs as number,
      graceful:
        checkOptionalBoolean(action['graceful'], `${where}.graceful`, CODE) ??
        !isKill(resolvedMethod),
      input: (input as string | Uint8Array | undefined) ?? 'reboot\n',
    };
  });
};

const endedBadly = (exit: ProcessHandleExit): boolean =>
  exit.kind === 'signaled' || (exit.kind === 'exited' && exit.code !== 0);

const describeError = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * Tries each action in order until one ends the process: perform it, then wait up to its
 * `timeoutMs` for the exit. An action that fails (its request is refused, its wait times out) is
 * recorded and the next one is tried; a process that ended while an action failed counts as ended
 * by that action. When every action fails, throws `ERR_SHUTDOWN_FAILED` with each failure in an
 * `AggregateError` cause. Aborting `signal` stops at once with its reason.
 */
export const runShutdownSequence = async (
  actions: readonly ResolvedShutdownAction[],
  runner: ShutdownRunner,
  signal?: AbortSignal,
): Promise<ShutdownByAction> => {
  const failures: ShutdownActionFailure[] = [];
  for (const [index, action] of actions.entries()) {
    signal?.throwIfAborted();
    let exit: ProcessHandleExit;
    try {
      await runner.perform(action, signal);
      exit = await runner.waitForExit(action.timeoutMs, signal);
    } catch (error) {
      if (signal?.aborted === true) {
        throw signal.reason;
      }
      const ended = runner.exit;
      if (ended === undefined) {
        failures.push({ index, method: action.method, error });
        continue;
      }
      exit = ended;
    }
    return {
      alreadyDown: false,
      method: action.method,
      index,
      graceful: action.graceful && !endedBadly(exit),
      exit,
      failures,
    };
  }
  const list = failures
    .map((failure) => `${failure.index + 1}. ${failure.method}: ${describeError(failure.error)}`)
    .join('; ');
  throw new VmError(
    'ERR_SHUTDOWN_FAILED',
    `vm.shutdown(): no action ended the Firecracker process (${list}): add a 'kill' action, or kill it and call cleanup()`,
    {
      cause: new AggregateError(
        failures.map((failure) => failure.error),
        'Every shutdown action failed',
      ),
    },
  );
};
