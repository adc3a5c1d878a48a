// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// One mode of a lifecycle benchmark (process or Vm layer, unrestricted or jailed): Kindling's
// lifecycle and the baseline's, alternating round by round, each timed step by step with the
// socket's appearance seen by the harness's own watch, and the figures recorded.

import type { FSWatcher } from 'node:fs';
import type { BenchBackend } from './bench-backend.ts';
import {
  runBaselineLifecycle,
  type BaselineVmOptions,
  type LifecycleHooks,
} from './bench-baseline.ts';
import {
  alternate,
  measureCpu,
  watchSocketAppearing,
  type LifecycleMarks,
} from './bench-lifecycle.ts';
import { createLifecycleSamples, recordLifecycleFigures } from './bench-lifecycle-report.ts';

/** What one mode compares. */
export interface LifecycleComparison {
  /** The figures' prefix: `process (firecracker): jailed`. */
  readonly label: string;
  readonly backend: BenchBackend;
  readonly rounds: number;
  readonly warmup: number;
  /** Kindling's lifecycle for a VM `id`, setting `marks` and calling `hooks.beforeSpawn`. */
  kindling(id: string, marks: LifecycleMarks, hooks: LifecycleHooks): Promise<void>;
  /** The baseline's options for the same VM besides its binary and id. */
  baseline(id: string): Omit<BaselineVmOptions, 'firecrackerPath' | 'id'>;
}

export const compareLifecycles = async (comparison: LifecycleComparison): Promise<void> => {
  const { backend } = comparison;
  const samples = createLifecycleSamples();
  await alternate(comparison.rounds, comparison.warmup, async (side, index, recorded) => {
    // Short ids: a jail's socket path must fit a socket address.
    const id = `${side[0]}${index}`;
    const marks: LifecycleMarks = {};
    let watcher: FSWatcher | undefined;
    const hooks: LifecycleHooks = {
      beforeSpawn: (socketPath) => {
        watcher = watchSocketAppearing(socketPath, marks);
      },
    };
    const { cpuMs } = await measureCpu(() =>
      side === 'kindling'
        ? comparison.kindling(id, marks, hooks)
        : runBaselineLifecycle(
            { firecrackerPath: backend.firecrackerPath, id, ...comparison.baseline(id) },
            backend.guest,
            marks,
            hooks,
          ),
    ).finally(() => watcher?.close());
    if (recorded) {
      samples[side].marks.push(marks);
      samples[side].cpuMs.push(cpuMs);
    }
  });
  recordLifecycleFigures(comparison.label, samples);
};
