// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/** How long the event loop was kept from running during a stretch of time. */
export interface LoopStalls {
  /** The longest delay, and the 99th percentile, in ms (perf_hooks' histogram, 1 ms resolution). */
  readonly maxMs: number;
  readonly p99Ms: number;
  /** Each delay longer than the threshold: when it ended (ms since the start) and how long. */
  readonly over: readonly { readonly atMs: number; readonly ms: number }[];
}

/** A running measurement of event-loop delay; `stop()` ends it and gives the figures. */
export interface LoopStallMonitor {
  stop(): LoopStalls;
}

const TICK_MS = 5;

/**
 * Starts measuring the event loop's delay (`monitorEventLoopDelay` at its finest resolution),
 * and notes when each delay over `thresholdMs` happened, so that a stall can be laid beside
 * what the run was doing then.
 */
export const monitorLoopStalls = (thresholdMs = 50): LoopStallMonitor => {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  const over: { atMs: number; ms: number }[] = [];
  let last = started;
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - TICK_MS;
    if (late > thresholdMs) {
      over.push({ atMs: Math.round(now - started), ms: Math.round(late) });
    }
    last = now;
  }, TICK_MS);
  return {
    stop: () => {
      clearInterval(timer);
      histogram.disable();
      return {
        maxMs: histogram.max / 1e6,
        p99Ms: histogram.percentile(99) / 1e6,
        over,
      };
    },
  };
};
