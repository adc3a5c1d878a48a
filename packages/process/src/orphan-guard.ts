// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** A process the guard can kill synchronously while Node goes down. */
export interface Killable {
  kill(signal?: NodeJS.Signals | number): boolean;
}

/** How a child is guarded. */
export interface OrphanGuardOptions {
  /**
   * Whether SIGINT, SIGTERM or SIGHUP kills the child at once (default `true`). With `false` the
   * program's own signal handler shuts it down; it is still killed when Node exits, and at once
   * when nothing else handles the signal.
   */
  readonly killOnSignal?: boolean;
}

const guarded = new Map<Killable, boolean>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;
let signalsInstalled = false;

const kill = (child: Killable): void => {
  try {
    child.kill('SIGKILL');
  } catch {
    // Node is going down and nothing is left to report to; a process we may not signal (another
    // uid) keeps its state record, from which reconcile() removes it later.
  }
};

const killAll = (): void => {
  for (const child of guarded.keys()) {
    kill(child);
  }
};

const onExit = (): void => killAll();

const onUncaughtException = (): void => {
  // With an `uncaughtException` handler Node carries on, and so do its VMMs.
  if (process.listenerCount('uncaughtException') === 0) {
    killAll();
  }
};

const removeSignalHooks = (): void => {
  signalsInstalled = false;
  for (const signal of SIGNALS) {
    process.off(signal, onSignal);
  }
};

// Installed first of all listeners, it kills what it must and steps aside at once. Another
// listener then sees the signal as if the guard had never been there: a library that re-raises
// only when it is the last listener (signal-exit, under execa) still does, and a program's own
// handler stays in charge. With no other listener, it does what Node would have done: die by it.
function onSignal(signal: NodeJS.Signals): void {
  removeSignalHooks();
  if (process.listenerCount(signal) === 0) {
    killAll();
    process.kill(process.pid, signal);
    return;
  }
  for (const [child, killOnSignal] of guarded) {
    if (killOnSignal) {
      kill(child);
    }
  }
}

const installSignalHooks = (): void => {
  signalsInstalled = true;
  for (const signal of SIGNALS) {
    process.prependListener(signal, onSignal);
  }
};

const install = (): void => {
  installed = true;
  process.on('exit', onExit);
  process.on('uncaughtExceptionMonitor', onUncaughtException);
  installSignalHooks();
};

const uninstall = (): void => {
  installed = false;
  process.off('exit', onExit);
  process.off('uncaughtExceptionMonitor', onUncaughtException);
  removeSignalHooks();
};

/**
 * Makes a child die with this Node process: on exit, on an uncaught error nothing handles, and on
 * SIGINT, SIGTERM or SIGHUP (see `killOnSignal`). The process hooks are installed with the first
 * guarded child and removed with the last; disposing the result stops guarding this child.
 */
export const guardAgainstOrphaning = (
  child: Killable,
  options: OrphanGuardOptions = {},
): Disposable => {
  guarded.set(child, options.killOnSignal ?? true);
  if (!installed) {
    install();
  } else if (!signalsInstalled) {
    // A signal came and went (a handler of the program's kept it alive): guard the new child too.
    installSignalHooks();
  }
  return {
    [Symbol.dispose]() {
      guarded.delete(child);
      if (guarded.size === 0 && installed) {
        uninstall();
      }
    },
  };
};

/** How many children are guarded and which hooks are installed (for tests). */
export const inspectOrphanGuard = (): {
  readonly guarded: number;
  readonly installed: boolean;
  readonly signalsInstalled: boolean;
} => ({ guarded: guarded.size, installed, signalsInstalled });
