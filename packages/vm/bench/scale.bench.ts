// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/scale.bench.ts` (from packages/vm).
// N lifecycles at once through @kindling/vm (prepare, start, pause, shutdown by kill, cleanup), at
// N = 1, 10, 50 and 100 (1 and 10 under --quick), against the same N run by the Node baseline
// (tooling/bench-baseline.ts), alternating round by round. Figures at each level: throughput
// (lifecycles per second of wall time) and the event loop's longest delay
// (monitorEventLoopDelay, 1 ms resolution). Targets: throughput at 100 at least 80% of the best
// level Kindling reached; event loop delay ≤ 50 ms. Against fake-vmm (each VM is a Node process,
// so the host's cores bound throughput for both sides), or the real Firecracker KINDLING_* name.

import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Vm } from '@kindling/vm';
import { runBaselineLifecycle } from '../../../tooling/bench-baseline.ts';
import { alternate, type Side } from '../../../tooling/bench-lifecycle.ts';
import { BASELINE_NAME } from '../../../tooling/bench-lifecycle-report.ts';
import { isQuickRun, quantile, recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';
import { createVmBenchSetup, type VmBenchSetup } from './vm-bench-setup.ts';

const LEVELS: readonly number[] = isQuickRun() ? [1, 10] : [1, 10, 50, 100];
const ROUNDS = sampleCount(3, 2);
const LAG_TARGET_MS = 50;
// Generous: up to 100 Firecrackers (or fake Node processes) start at once on a shared host.
const WAIT_MS = 120_000;

interface LevelSamples {
  readonly throughput: Record<Side, number[]>;
  readonly lagMs: Record<Side, number[]>;
}

const runKindling = async (setup: VmBenchSetup, runDir: string, id: string): Promise<void> => {
  await using vm = await Vm.prepare({
    ...setup.unrestricted(runDir, id),
    installation: setup.installation,
    configuration: setup.configuration,
    shutdownActions: [{ method: 'kill' }],
    socketWaitTimeoutMs: WAIT_MS,
    apiTimeoutMs: WAIT_MS,
  });
  await vm.start();
  await vm.pause();
  await vm.shutdown();
  await vm.cleanup();
};

/** Runs `count` lifecycles at once; the wall time and the event loop's longest delay. */
const runLevel = async (
  count: number,
  one: (id: string) => Promise<void>,
  prefix: string,
): Promise<{ wallMs: number; lagMs: number }> => {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, index) => one(`${prefix}${index}`)),
  );
  const wallMs = performance.now() - started;
  histogram.disable();
  const failures = results.flatMap((result): unknown[] =>
    result.status === 'rejected' ? [result.reason] : [],
  );
  if (failures.length > 0) {
    throw new AggregateError(failures, `${failures.length} of ${count} lifecycles failed`);
  }
  return { wallMs, lagMs: histogram.max / 1e6 };
};

await using setup = await createVmBenchSetup('vm-scale');
const { backend } = setup;
const runDir = await backend.folder('run');
// One lifecycle each first, unmeasured: the first one loads and compiles each side's code.
await runKindling(setup, runDir, 'kw');
await runBaselineLifecycle(
  { firecrackerPath: backend.firecrackerPath, id: 'bw', socketPath: path.join(runDir, 'bw.sock') },
  backend.guest,
  {},
);
const levels = new Map<number, LevelSamples>();
for (const count of LEVELS) {
  const samples: LevelSamples = {
    throughput: { kindling: [], baseline: [] },
    lagMs: { kindling: [], baseline: [] },
  };
  await alternate(ROUNDS, 0, async (side, round) => {
    const prefix = `${side[0]}${round}-`;
    const { wallMs, lagMs } = await runLevel(
      count,
      (id) =>
        side === 'kindling'
          ? runKindling(setup, runDir, id)
          : runBaselineLifecycle(
              {
                firecrackerPath: backend.firecrackerPath,
                id,
                socketPath: path.join(runDir, `${id}.sock`),
                timeoutMs: WAIT_MS,
              },
              backend.guest,
              {},
            ),
      prefix,
    );
    samples.throughput[side].push(count / (wallMs / 1000));
    samples.lagMs[side].push(lagMs);
  });
  levels.set(count, samples);
}
const best = Math.max(
  ...[...levels.values()].map((samples) => quantile(samples.throughput.kindling, 0.5)),
);
const top = LEVELS.at(-1) ?? 1;
for (const [count, samples] of levels) {
  const label = `vm (${backend.label}): ${count} concurrent lifecycles`;
  recordFigure({
    name: `${label}, throughput`,
    unit: 'lifecycles/s',
    samples: samples.throughput.kindling,
    baseline: samples.throughput.baseline,
    baselineName: BASELINE_NAME,
    // At the top level: within 20% of the best level reached (only 100 is held to it in a full run).
    ...(count === top && count > 1 ? { target: { min: Number((0.8 * best).toPrecision(3)) } } : {}),
  });
  recordFigure({
    name: `${label}, event loop delay max`,
    unit: 'ms',
    samples: samples.lagMs.kindling,
    baseline: samples.lagMs.baseline,
    baselineName: BASELINE_NAME,
    target: { max: LAG_TARGET_MS },
  });
}
