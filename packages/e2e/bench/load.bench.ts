// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run as root with Node 24 after a build: `node bench/load.bench.ts` (from packages/e2e).
// 100 VMs at once against fake-vmm, all unrestricted, then all jailed (daemonized, new pid
// namespace, as nobody): each gets a TAP (ext-network) and a metrics FIFO, is started to its
// guest's marker, used (GET machine-config, describe instance, a metrics record, pause/resume,
// POST /ping over vsock, an echo), shut down and cleaned up. Prints each phase's p50/p95/max per
// VM, the event loop's delay against the 50 ms target, and a census of the host before and after;
// exits non-zero when a VM failed or anything did not come back to its level.
// KINDLING_LOAD_VMS changes the count (default 100; 10 under `pnpm xtask bench --quick`).

import { canCollectGarbage } from '../src/collect-garbage.ts';
import { compareCensus, formatCensus, type MemoryTolerance } from '../src/host-census.ts';
import { runLoadBenchmark } from '../src/load-benchmark.ts';
import { boundsFor, runBurst, type BurstReport } from '../src/load-burst.ts';
import { formatPhases, summarizeOutcomes } from '../src/load-report.ts';
import { judgeOutcomes } from '../src/soak-loop.ts';
import { recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';

const VMS = Number(process.env['KINDLING_LOAD_VMS'] ?? String(sampleCount(100, 10)));
const STALL_TARGET_MS = 50;
const PHASES = ['start', 'use', 'shutdown'] as const;
// The heap after a GC must come back nearly whole: it is where a leak shows. RSS is a high-water
// mark: malloc's arenas and V8's spaces keep pages that 100 VMs' buffers took (measured: +93 MiB
// after the unrestricted burst, +45 MiB after the jailed one that followed), so it gets room.
const TOLERANCE: MemoryTolerance = { rssMib: 128, heapMib: 8 };
// Generous: 100 fake Firecrackers (Node processes) start at once on two cores.
const BOUNDS = boundsFor(90_000);

const recordFigures = (label: string, burst: BurstReport, ok: number): void => {
  const of = `${VMS} VMs at once, ${label}`;
  for (const phase of PHASES) {
    recordFigure({
      name: `e2e load: ${phase}, ${of}`,
      unit: 'ms',
      samples: burst.outcomes.flatMap((outcome) => outcome.phases[phase] ?? []),
    });
  }
  recordFigure({
    name: `e2e load: VMs that succeeded per second, ${of}`,
    unit: 'VMs/s',
    samples: [ok / (burst.wallMs / 1000)],
  });
  recordFigure({
    name: `e2e load: event-loop delay, longest, ${of}`,
    unit: 'ms',
    samples: [burst.stalls.maxMs],
    target: { max: STALL_TARGET_MS },
  });
};

const report = (label: string, burst: BurstReport): string[] => {
  const { counts, errors } = summarizeOutcomes(burst.outcomes);
  const failed = burst.outcomes.length - (counts['ok'] ?? 0);
  console.log(
    `${label}: ${counts['ok'] ?? 0}/${burst.outcomes.length} succeeded in ${(burst.wallMs / 1000).toFixed(1)} s (${JSON.stringify(counts)})`,
  );
  for (const line of formatPhases(burst.outcomes)) {
    console.log(`  ${line}`);
  }
  for (const [error, count] of errors) {
    console.log(`  ${count}× ${error}`);
  }
  const { maxMs, p99Ms, over } = burst.stalls;
  const verdict = maxMs <= STALL_TARGET_MS ? 'met' : 'MISSED';
  const longest = over
    .toSorted((a, b) => b.ms - a.ms)
    .slice(0, 8)
    .map((stall) => `${stall.ms} ms at ${(stall.atMs / 1000).toFixed(1)} s`);
  console.log(
    `  event loop delay: max ${maxMs.toFixed(1)} ms, p99 ${p99Ms.toFixed(1)} ms (target ≤ ${STALL_TARGET_MS} ms: ${verdict}); ${over.length} delays over ${STALL_TARGET_MS} ms${longest.length === 0 ? '' : `, the longest: ${longest.join(', ')}`}`,
  );
  recordFigures(label, burst, counts['ok'] ?? 0);
  return [
    ...(failed === 0 ? [] : [`${label}: ${failed} of ${burst.outcomes.length} VMs failed`]),
    ...judgeOutcomes(burst.outcomes),
  ];
};

const print = (line: string): void => {
  console.log(line);
};

await runLoadBenchmark('load', { profiles: { clean: {} }, bounds: BOUNDS, print }, async (run) => {
  const problems: string[] = [];
  const before = await run.census();
  console.log(
    `load: ${VMS} VMs at once; memory after a GC: ${canCollectGarbage ? 'yes' : 'no (figures include garbage)'}; tolerance RSS +${TOLERANCE.rssMib} MiB, heap +${TOLERANCE.heapMib} MiB`,
  );
  console.log(`census before: ${formatCensus(before)}`);
  for (const jailed of [false, true]) {
    const label = jailed ? 'jailed' : 'unrestricted';
    const burst = await runBurst(
      run,
      Array.from({ length: VMS }, () => ({ ...BOUNDS, jailed, profile: 'clean' })),
    );
    problems.push(...report(label, burst));
    const after = await run.census();
    console.log(`  census after: ${formatCensus(after)}`);
    console.log(
      `  delta: fds ${after.fds - before.fds}, rss ${(after.rssMib - before.rssMib).toFixed(1)} MiB, heap ${(after.heapMib - before.heapMib).toFixed(1)} MiB`,
    );
    problems.push(
      ...compareCensus(before, after, TOLERANCE).map((problem) => `${label}: ${problem}`),
    );
  }
  return problems;
});
