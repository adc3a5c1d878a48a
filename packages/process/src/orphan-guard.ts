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
// What removes a VMM's files when Node goes down, from its prepare to its cleanup.
const sweepers = new Set<() => void>();
// What extensions remove when Node goes down (a VM's network), once every VMM and its files are gone.
const hostExitSweeps = new Set<() => void>();
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

const runEach = (sweeps: ReadonlySet<() => void>): void => {
  for (const sweep of sweeps) {
    try {
      sweep();
    } catch {
      // Node is going down: what could not be removed keeps its state record for reconcile().
    }
  }
};

// Every child is killed first, so that they all die at once, then each one's files are removed,
// then what extensions made for them (a TAP is the VMM's until it has ended).
const sweepAll = (): void => {
  runEach(sweepers);
  runEach(hostExitSweeps);
};

const onExit = (): void => {
  killAll();
  sweepAll();
};

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

// signal-exit (under execa, while it runs a child) keeps one listener per loaded copy, and raises
// the signal again when its own are the only listeners left. It counts them where every copy
// sees: v4 on a global symbol, v3 on `process`.
const SIGNAL_EXIT_V3_EMITTER = '__signal_exit_emitter__';

const countOf = (emitter: { count?: unknown } | undefined): number =>
  typeof emitter?.count === 'number' ? emitter.count : 0;

const countSignalExitListeners = (): number =>
  countOf(
    (globalThis as Record<symbol, { count?: unknown } | undefined>)[
      Symbol.for('signal-exit emitter')
    ],
  ) + countOf(Reflect.get(process, SIGNAL_EXIT_V3_EMITTER) as { count?: unknown } | undefined);

// Installed first of all listeners, it kills what it must and steps aside at once. Another
// listener then sees the signal as if the guard had never been there: a library that re-raises
// only when it is the last listener (signal-exit, under execa) still does, and a program's own
// handler stays in charge. With no other listener, it does what Node would have done: die by it.
// Either way Node is going down, so the VMMs' files go first.
function onSignal(signal: NodeJS.Signals): void {
  removeSignalHooks();
  const others = process.listenerCount(signal);
  if (others === 0) {
    killAll();
    sweepAll();
    process.kill(process.pid, signal);
    return;
  }
  if (others <= countSignalExitListeners()) {
    killAll();
    sweepAll();
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

const installIfNeeded = (): void => {
  if (!installed) {
    install();
  } else if (!signalsInstalled) {
    // A signal came and went (a handler of the program's kept it alive): guard the new one too.
    installSignalHooks();
  }
};

const uninstallIfUnused = (): void => {
  if (guarded.size === 0 && sweepers.size === 0 && hostExitSweeps.size === 0 && installed) {
    uninstall();
  }
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
  installIfNeeded();
  return {
    [Symbol.dispose]() {
      guarded.delete(child);
      uninstallIfUnused();
    },
  };
};

/**
 * Runs `sweep` synchronously when this Node process goes down: on exit, and on SIGINT, SIGTERM or
 * SIGHUP that nothing else handles, after every guarded child was sent SIGKILL and before the
 * signal is raised again. `sweep` waits (briefly, synchronously) for its process to end, then
 * removes its files; what it throws is ignored. Disposing the result stops it.
 */
export const sweepWhenGoingDown = (sweep: () => void): Disposable => {
  sweepers.add(sweep);
  installIfNeeded();
  return {
    [Symbol.dispose]() {
      sweepers.delete(sweep);
      uninstallIfUnused();
    },
  };
};

/**
 * Runs `sweep` synchronously when this Node process goes down (on exit, whatever made it exit, and
 * on SIGINT, SIGTERM or SIGHUP that nothing else handles), after every guarded VMM was killed and
 * its files removed: the plug point for an extension to remove what it made on the host for VMs
 * (a network). `sweep` must be synchronous (`spawnSync`, `rmSync`) and brief; what it throws is
 * ignored, so it should leave what it could not remove recorded for its own reconcile. The result
 * unregisters it; calling that twice is harmless.
 */
export const onHostExit = (sweep: () => void): (() => void) => {
  // Its own entry, so that the same function registered twice is two registrations.
  const entry = (): void => sweep();
  hostExitSweeps.add(entry);
  installIfNeeded();
  return () => {
    hostExitSweeps.delete(entry);
    uninstallIfUnused();
  };
};

/** How many children are guarded and which hooks are installed (for tests). */
export const inspectOrphanGuard = (): {
  readonly guarded: number;
  readonly sweepers: number;
  readonly hostExitSweeps: number;
  readonly installed: boolean;
  readonly signalsInstalled: boolean;
} => ({
  guarded: guarded.size,
  sweepers: sweepers.size,
  hostExitSweeps: hostExitSweeps.size,
  installed,
  signalsInstalled,
});
