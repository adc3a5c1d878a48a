// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import type { ProcessHandle, ProcessHandleExit } from '@kindling/executor';
import { ProcessError } from './errors.js';
import type { ExitDescription } from './exit-description.js';
import { guardAgainstOrphaning, type OrphanGuardOptions } from './orphan-guard.js';
import { StreamTap } from './stream-tap.js';

// After an exit, how long to let the pipes deliver their last bytes before quoting them; a
// grandchild holding a pipe open (a daemonizing jailer) must not stall the error.
const PIPE_SETTLE_MS = 250;
const TAIL_LINES = 20;

/** Words for an executor's exit: a code, a signal, or neither when the status was not seen. */
export const describeHandleExit = (exit: ProcessHandleExit): ExitDescription => {
  if (exit.kind === 'exited') {
    return { code: exit.code };
  }
  return exit.kind === 'signaled' ? { signal: exit.signal } : {};
};

const settleWithin = async (promise: Promise<unknown>, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
};

/**
 * A started VMM process as `VmmProcess` holds it: its exit is observed as soon as it happens, its
 * output pipes are drained (and kept for the taker and for error messages), and it is guarded so
 * that it dies with its Node parent until it ends.
 */
export class WatchedProcess {
  readonly handle: ProcessHandle;
  /** Settles when the process has ended: with how, or with `unseen` when that is not known. */
  readonly ended: Promise<void>;
  readonly #stdout: StreamTap | undefined;
  readonly #stderr: StreamTap | undefined;
  readonly #guard: Disposable;
  #exit: ProcessHandleExit | undefined;
  #unseen = false;

  constructor(handle: ProcessHandle, guard: OrphanGuardOptions = {}) {
    this.handle = handle;
    this.#stdout = handle.stdout === null ? undefined : new StreamTap(handle.stdout);
    this.#stderr = handle.stderr === null ? undefined : new StreamTap(handle.stderr);
    this.#guard = guardAgainstOrphaning(handle, guard);
    this.ended = this.#observe();
  }

  /** How the process ended; `undefined` while it runs or when its exit could not be observed. */
  get exit(): ProcessHandleExit | undefined {
    return this.#exit;
  }

  /** Whether the process has ended, including an end whose status could not be observed. */
  get hasEnded(): boolean {
    return this.#exit !== undefined || this.#unseen;
  }

  /** Whether it ended cleanly: exit code 0, seen. */
  get endedCleanly(): boolean {
    return this.#exit?.kind === 'exited' && this.#exit.code === 0;
  }

  /** Settles once the process has ended and its pipes have delivered their last bytes. */
  async describeEnd(): Promise<ExitDescription> {
    const exit = await this.handle.exited;
    await this.settlePipes();
    return describeHandleExit(exit);
  }

  /** Settles once the pipes have closed, or a short while later (a grandchild may hold them). */
  async settlePipes(): Promise<void> {
    await settleWithin(Promise.all([this.#stdout?.closed, this.#stderr?.closed]), PIPE_SETTLE_MS);
  }

  /** The last lines of stderr and stdout, each under its own heading. */
  outputTail(): string {
    const sections: string[] = [];
    for (const [name, tap] of [
      ['stderr', this.#stderr],
      ['stdout', this.#stdout],
    ] as const) {
      const tail = tap?.tail(TAIL_LINES) ?? '';
      if (tail.trim() !== '') {
        sections.push(`[${name}]\n${tail}`);
      }
    }
    return sections.join('\n');
  }

  /**
   * Resolves true once the process has written `text` on stdout or stderr, false when neither is
   * piped, both end first, or `signal` aborts.
   */
  async waitForOutput(text: string, signal: AbortSignal): Promise<boolean> {
    const taps = [this.#stdout, this.#stderr].filter((tap) => tap !== undefined);
    // Once one stream shows the text, the wait on the other one stops.
    const found = new AbortController();
    const either = AbortSignal.any([signal, found.signal]);
    const seen = await Promise.all(
      taps.map(async (tap) => {
        const shown = await tap.waitForText(text, either);
        if (shown) {
          found.abort();
        }
        return shown;
      }),
    );
    return seen.includes(true);
  }

  /** Takes stdout or stderr once, or throws `ERR_STDIO_UNAVAILABLE` / `ERR_STDIO_TAKEN`. */
  take(name: 'stdout' | 'stderr', call: string): Readable {
    const tap = name === 'stdout' ? this.#stdout : this.#stderr;
    if (tap === undefined) {
      throw new ProcessError(
        'ERR_STDIO_UNAVAILABLE',
        `${call}: the process's ${name} is not piped (a detached process, or a spawner told not to pipe it)`,
      );
    }
    const stream = tap.take();
    if (stream === undefined) {
      throw new ProcessError('ERR_STDIO_TAKEN', `${call}: ${name} was already taken; take it once`);
    }
    return stream;
  }

  async #observe(): Promise<void> {
    try {
      this.#exit = await this.handle.exited;
    } catch {
      // The exit could not be observed: the caller never reports it as clean, and the handle's
      // wait() rejects with the reason for whoever waits.
      this.#unseen = true;
    } finally {
      this.#guard[Symbol.dispose]();
    }
  }
}
