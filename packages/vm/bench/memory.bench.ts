// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/memory.bench.ts` (from packages/vm).
// The driver's resident memory: a fresh `node --expose-gc` process (bench/hold-vms.ts) starts 1
// VM through @kindling/vm, another through the Node baseline (tooling/bench-baseline.ts), each
// collects garbage and reports its RSS; alternating, round by round. Then the same with HELD VMs,
// for the memory each additional live Vm handle costs: (RSS with HELD − RSS with 1) / (HELD − 1).
// Targets: 1 VM within 1.2× the baseline's RSS; ≤ 100 KiB per additional handle. The VMs'
// memory is Firecracker's, in other processes: it is not in these figures.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import process from 'node:process';
import * as fake from '@kindling/fake-vmm';
import { createBenchBackend, type BenchBackend } from '../../../tooling/bench-backend.ts';
import { alternate, type Side } from '../../../tooling/bench-lifecycle.ts';
import { BASELINE_NAME } from '../../../tooling/bench-lifecycle-report.ts';
import { recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';

const ROUNDS = sampleCount(5, 2);
const HELD = sampleCount(21, 11);

interface Held {
  readonly rssKiB: number;
  /** The JavaScript heap in use after GC: how much of the RSS is objects. */
  readonly heapUsedKiB: number;
  readonly maxRssKiB: number;
}

const hold = async (
  backend: BenchBackend,
  runDir: string,
  side: Side,
  count: number,
): Promise<Held> => {
  const child = spawn(
    process.execPath,
    ['--expose-gc', path.join(import.meta.dirname, 'hold-vms.ts'), side, String(count)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        KINDLING_BENCH_HOLD: JSON.stringify({
          firecrackerPath: backend.firecrackerPath,
          snapshotEditorPath: backend.snapshotEditorPath,
          guest: backend.guest,
          runDir,
        }),
      },
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    output += text;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) {
    throw new Error(`hold-vms.ts ${side} ${count} exited with ${code}: ${output}`);
  }
  return JSON.parse(output) as Held;
};

await using backend = await createBenchBackend(fake, 'vm-memory');
const runDir = await backend.folder('run');
const one = { kindling: [] as Held[], baseline: [] as Held[] };
const many = { kindling: [] as Held[], baseline: [] as Held[] };
await alternate(ROUNDS, 0, async (side) => {
  one[side].push(await hold(backend, runDir, side, 1));
  many[side].push(await hold(backend, runDir, side, HELD));
});
const mib = (held: readonly Held[], key: keyof Held) => held.map((entry) => entry[key] / 1024);
const perHandle = (side: Side, key: 'rssKiB' | 'heapUsedKiB' = 'rssKiB') =>
  many[side].map(
    (entry, index) => (entry[key] - (one[side][index]?.[key] ?? Number.NaN)) / (HELD - 1),
  );
const label = `vm (${backend.label})`;
recordFigure({
  name: `${label}: driver RSS holding 1 live VM, after GC`,
  unit: 'MiB',
  samples: mib(one.kindling, 'rssKiB'),
  baseline: mib(one.baseline, 'rssKiB'),
  baselineName: BASELINE_NAME,
  target: { ratio: 1.2 },
});
recordFigure({
  name: `${label}: driver peak RSS holding 1 live VM`,
  unit: 'MiB',
  samples: mib(one.kindling, 'maxRssKiB'),
  baseline: mib(one.baseline, 'maxRssKiB'),
  baselineName: BASELINE_NAME,
});
recordFigure({
  name: `${label}: RSS per additional live Vm handle (1 vs ${HELD} VMs)`,
  unit: 'KiB',
  samples: perHandle('kindling'),
  baseline: perHandle('baseline'),
  baselineName: BASELINE_NAME,
  target: { max: 100 },
});
recordFigure({
  name: `${label}: JS heap per additional live Vm handle (1 vs ${HELD} VMs)`,
  unit: 'KiB',
  samples: perHandle('kindling', 'heapUsedKiB'),
  baseline: perHandle('baseline', 'heapUsedKiB'),
  baselineName: BASELINE_NAME,
});
