// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// What the lifecycle benchmarks share: the marks one lifecycle leaves, the one definition of "the
// time the SDK controls" applied to Kindling and the baseline alike, the harness's own watch for
// the API socket, and the alternating loop. Node built-ins only: this folder has no packages.

import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

/** The VM every lifecycle boots: the same for Kindling and the baseline. */
export interface BenchGuest {
  readonly kernelPath: string;
  readonly initrdPath: string | undefined;
  readonly bootArgs: string;
  readonly vcpuCount: number;
  readonly memSizeMib: number;
}

/** `performance.now()` at each step of one lifecycle, as seen by the driver. */
export interface LifecycleMarks {
  /** Before anything: construction, prepare. */
  start?: number;
  /** Just before the call that spawns Firecracker (or the jailer). */
  spawnCalled?: number;
  /** When the harness's own watch saw the API socket appear (Firecracker binds, then listens). */
  socketAppeared?: number;
  /** When the driver knew the socket accepts (the process layer and the baseline only). */
  ready?: number;
  /** `PUT /machine-config` and `PUT /boot-source` answered. */
  configured?: number;
  /** `InstanceStart` answered. */
  instanceStarted?: number;
  /** `PATCH /vm {"state":"Paused"}` answered. */
  paused?: number;
  /** SIGKILL sent, and its end seen by the driver. */
  exited?: number;
  /** Everything removed: socket, jail, folders. */
  cleaned?: number;
}

const span = (marks: LifecycleMarks, from: keyof LifecycleMarks, to: keyof LifecycleMarks) => {
  const [a, b] = [marks[from], marks[to]];
  if (a === undefined || b === undefined) {
    throw new Error(`lifecycle marks: ${from} or ${to} is missing`);
  }
  return b - a;
};

/** The whole lifecycle, from `start` to `cleaned`. */
export const lifecycleMs = (marks: LifecycleMarks): number => span(marks, 'start', 'cleaned');

/**
 * The time the SDK controls in one lifecycle: the whole of it minus what Firecracker takes,
 * measured the same way for Kindling and the baseline from the marks above:
 *   (start → spawnCalled)          preparing (stale socket, jail layout, records, options)
 * + (socketAppeared → configured)  knowing the socket accepts, then the two configuration PUTs
 * + (instanceStarted → paused)     the pause request
 * + (exited → cleaned)             cleanup after the process has ended
 * Left out as Firecracker's: spawn → socket bound (exec and Firecracker's start, which hides the
 * cost of the spawn call itself: see the whole lifecycle for that), the InstanceStart request,
 * and SIGKILL → end noticed. `socketAppeared` comes from the harness's watch, armed before the
 * spawn on the socket's folder, so both drivers are timed from the same event.
 */
export const sdkControlledMs = (marks: LifecycleMarks): number =>
  span(marks, 'start', 'spawnCalled') +
  span(marks, 'socketAppeared', 'configured') +
  span(marks, 'instanceStarted', 'paused') +
  span(marks, 'exited', 'cleaned');

/** From the socket appearing (bound and listening) to the driver knowing it accepts. */
export const readinessMs = (marks: LifecycleMarks): number =>
  span(marks, 'socketAppeared', 'ready');

/**
 * The harness's watch for the API socket: notes in `marks.socketAppeared` when `socketPath`
 * appears in its folder. Arm it before the spawn, close it after the lifecycle.
 */
export const watchSocketAppearing = (socketPath: string, marks: LifecycleMarks): FSWatcher => {
  const name = path.basename(socketPath);
  return watch(path.dirname(socketPath), (_event, file) => {
    if (file === name && marks.socketAppeared === undefined) {
      marks.socketAppeared = performance.now();
    }
  });
};

/** The driver's CPU time (user + system) while `run` runs, in ms, with its result. */
export const measureCpu = async <T>(
  run: () => Promise<T>,
): Promise<{ cpuMs: number; value: T }> => {
  const before = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(before);
  return { cpuMs: (used.user + used.system) / 1000, value };
};

/** One side of an alternating comparison. */
export type Side = 'kindling' | 'baseline';

/**
 * Runs `round(side, index)` for both sides, `warmup` rounds unrecorded then `rounds` recorded,
 * swapping which side goes first each round so that neither always runs on a warmer machine.
 */
export const alternate = async (
  rounds: number,
  warmup: number,
  round: (side: Side, index: number, recorded: boolean) => Promise<void>,
): Promise<void> => {
  for (let index = 0; index < warmup + rounds; index += 1) {
    const order: readonly Side[] =
      index % 2 === 0 ? ['kindling', 'baseline'] : ['baseline', 'kindling'];
    for (const side of order) {
      await round(side, index, index >= warmup);
    }
  }
};

/** Whether the benchmarks can run jailed VMs here, or why not. */
export const jailedSkipReason = (jailerPath: string | undefined): string | undefined => {
  if (process.getuid?.() !== 0) {
    return 'jailed runs skipped: they need root (the jailer chroots and changes user)';
  }
  return jailerPath === undefined ? 'jailed runs skipped: KINDLING_JAILER is unset' : undefined;
};
