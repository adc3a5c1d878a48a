// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { watch, type FSWatcher } from 'node:fs';

/** How `pollUntil` backs off between two probes that found nothing. */
export interface BackOff {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** A looser bound while the folder watch is open and only a safety net; default `maxDelayMs`. */
  readonly maxWatchedDelayMs?: number;
}

export interface PollUntilOptions {
  /** Aborting stops the wait with the signal's reason. */
  readonly signal: AbortSignal;
  readonly backOff: BackOff;
  /** A folder whose changes wake the probe early; the back-off still runs when it is silent. */
  readonly watchFolder?: string;
}

/** Wakes a sleeping `pollUntil` early, and remembers a change seen while it was not asleep. */
class Alarm {
  changed = false;
  #wake: (() => void) | undefined;

  ring(): void {
    this.changed = true;
    this.#wake?.();
  }

  // Sleeps for `delayMs`, or until `ring`, or until the signal aborts (rejecting with its reason).
  sleep(delayMs: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#wake = undefined;
      };
      const onAbort = () => {
        finish();
        reject(signal.reason as Error);
      };
      const timer = setTimeout(() => {
        finish();
        resolve();
      }, delayMs);
      this.#wake = () => {
        finish();
        resolve();
      };
      if (signal.aborted) {
        onAbort();
      } else {
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }
}

const openWatcher = (folder: string, alarm: Alarm): FSWatcher | undefined => {
  try {
    const watcher = watch(folder, () => alarm.ring());
    // A watcher that fails (folder removed, inotify limit) only loses the early wake-up.
    watcher.on('error', () => {
      watcher.close();
      alarm.ring();
    });
    return watcher;
  } catch {
    // Without a watch (no inotify, folder missing) the bounded back-off alone still finds it.
    return undefined;
  }
};

/**
 * Calls `probe` until it returns something other than `null`, sleeping between calls with a
 * doubling, bounded delay, or less when a watched folder changes (a change restarts the back-off,
 * since the awaited thing is likely moments away). Never spins: every empty probe is followed by a sleep,
 * unless the folder changed while the probe ran.
 */
export const pollUntil = async <T>(
  probe: () => Promise<T | null>,
  options: PollUntilOptions,
): Promise<T> => {
  const { signal, backOff } = options;
  const alarm = new Alarm();
  const { watchFolder } = options;
  let watcher = watchFolder === undefined ? undefined : openWatcher(watchFolder, alarm);
  try {
    let delayMs = backOff.minDelayMs;
    for (;;) {
      signal.throwIfAborted();
      alarm.changed = false;
      const value = await probe();
      if (value !== null) {
        return value;
      }
      if (!alarm.changed) {
        await alarm.sleep(delayMs, signal);
      }
      // The folder may appear later (a jail being laid out): watch it from then on.
      if (watcher === undefined && watchFolder !== undefined) {
        watcher = openWatcher(watchFolder, alarm);
      }
      const maxDelayMs =
        watcher === undefined
          ? backOff.maxDelayMs
          : (backOff.maxWatchedDelayMs ?? backOff.maxDelayMs);
      delayMs = alarm.changed ? backOff.minDelayMs : Math.min(delayMs * 2, maxDelayMs);
    }
  } finally {
    watcher?.close();
  }
};
