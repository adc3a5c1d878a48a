// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { FakeExitOutcome } from '../faults/env-switches.js';

/** A signal Firecracker handles itself: its number, its exit code and its metrics counter. */
export interface HandledSignal {
  readonly name: NodeJS.Signals;
  readonly number: number;
  readonly exitCode: number;
  readonly counter: string;
}

// Firecracker exits with its own code for these (SIGBUS, SIGSEGV and SIGILL are Node's own;
// SIGTERM and SIGINT keep their default action).
const HANDLED_SIGNALS: readonly HandledSignal[] = [
  { name: 'SIGHUP', number: 1, exitCode: 156, counter: 'sighup' },
  { name: 'SIGXCPU', number: 24, exitCode: 154, counter: 'sigxcpu' },
  { name: 'SIGXFSZ', number: 25, exitCode: 151, counter: 'sigxfsz' },
];

/**
 * How the fake Firecracker's run ends: with an exit code (the promise resolves), or by a signal
 * raised against the process itself (same pid as a real exec: the whole process dies).
 */
export class ProcessEnd {
  readonly exited: Promise<number>;
  private resolveExit!: (code: number) => void;
  private ended = false;
  private readonly controller = new AbortController();

  constructor() {
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
  }

  /** Aborted once the run ends, to cancel timers and waits. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  /** Ends the run with `code` (the first call wins). */
  exit(code: number): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.controller.abort();
    this.resolveExit(code);
  }

  /** Performs a fault outcome on the next turn, after the caller has journaled what it must. */
  perform(outcome: FakeExitOutcome): void {
    setImmediate(() => {
      if (outcome.signal === undefined) {
        this.exit(outcome.exitCode);
        return;
      }
      process.kill(process.pid, outcome.signal);
    });
  }

  /** Handles the signals Firecracker handles itself; returns the remover of the handlers. */
  handleSignals(onSignal: (signal: HandledSignal) => void): () => void {
    const listeners = HANDLED_SIGNALS.map((signal) => {
      const listener = (): void => onSignal(signal);
      process.on(signal.name, listener);
      return [signal.name, listener] as const;
    });
    return () => {
      for (const [name, listener] of listeners) {
        process.off(name, listener);
      }
    };
  }

  /** Emulates a Rust panic (`panic = "abort"`): SIGABRT. */
  abort(): void {
    process.kill(process.pid, 'SIGABRT');
  }
}
