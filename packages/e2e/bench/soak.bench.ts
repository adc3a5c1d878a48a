// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run as root with Node 24 after a build: `node bench/soak.bench.ts` (from packages/e2e).
// VMs created and destroyed in rounds of four, mixed unrestricted and jailed, for
// KINDLING_SOAK_SECONDS (default 600; 30 under `pnpm xtask bench --quick`), each with a random fault from fake-vmm's switches (an exit
// at start-up, before InstanceStart or after some requests; API responses delayed, stalled or
// dropped; a late socket; a guest ignoring Ctrl+Alt+Del) or a SIGKILL from outside. Each VM must
// succeed or fail with a KindlingError within its bound; a census of the host every few rounds
// must not rise (fds, processes, TAPs, namespaces, nft tables, jails, sockets, state records) and
// memory must not trend upward. Prints every sample and the fitted slopes; exits non-zero on a
// hang, a foreign error, or anything that accumulates.

import { formatCensus, type MemoryTolerance } from '../src/host-census.ts';
import { runLoadBenchmark } from '../src/load-benchmark.ts';
import { boundsFor } from '../src/load-burst.ts';
import { summarizeOutcomes } from '../src/load-report.ts';
import { SOAK_PROFILES } from '../src/soak-faults.ts';
import { runSoak } from '../src/soak-loop.ts';
import { recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';

const SECONDS = Number(process.env['KINDLING_SOAK_SECONDS'] ?? String(sampleCount(600, 30)));
const CONCURRENCY = 4;
const SAMPLE_EVERY = 10;
// Over the whole soak, after a GC at each sample: the fit's rise may not pass these.
const TOLERANCE: MemoryTolerance = { rssMib: 48, heapMib: 8 };
// Each wait 20 s; a stalled API call fails after 5 s, a guest ignoring Ctrl+Alt+Del is killed
// after 1 s; a VM alive (or being torn down) after 60 s counts as hung.
const BOUNDS = boundsFor(20_000, { apiTimeoutMs: 5_000, ctrlAltDelMs: 1_000 });

const print = (line: string): void => {
  console.log(line);
};

await runLoadBenchmark('soak', { profiles: SOAK_PROFILES, bounds: BOUNDS, print }, async (run) => {
  console.log(
    `soak: ${SECONDS} s, rounds of ${CONCURRENCY} VMs, a census every ${SAMPLE_EVERY} rounds; memory tolerance over the soak: RSS +${TOLERANCE.rssMib} MiB, heap +${TOLERANCE.heapMib} MiB`,
  );
  const soak = await runSoak(
    run,
    {
      durationMs: SECONDS * 1000,
      concurrency: CONCURRENCY,
      sampleEvery: SAMPLE_EVERY,
      bounds: BOUNDS,
      tolerance: TOLERANCE,
    },
    (sample) =>
      console.log(`  round ${sample.round} (${sample.vms} VMs): ${formatCensus(sample.census)}`),
  );
  const { counts, errors } = summarizeOutcomes(soak.outcomes);
  console.log(`soak: ${soak.outcomes.length} VMs: ${JSON.stringify(counts)}`);
  for (const profile of Object.keys(SOAK_PROFILES)) {
    const of = soak.outcomes.filter((outcome) => outcome.plan.profile === profile);
    const ok = of.filter((outcome) => outcome.result === 'ok').length;
    console.log(`  ${profile}: ${of.length} VMs, ${ok} ok`);
  }
  const killed = soak.outcomes.filter((outcome) => outcome.plan.killAt !== undefined);
  console.log(`  killed from outside (SIGKILL): ${killed.length} VMs`);
  for (const [error, count] of [...errors].toSorted((a, b) => b[1] - a[1])) {
    console.log(`  ${count}× ${error}`);
  }
  const of = `${SECONDS} s of rounds of ${CONCURRENCY} VMs with faults`;
  recordFigure({
    name: `e2e soak: VMs lived per second, ${of}`,
    unit: 'VMs/s',
    samples: [soak.outcomes.length / SECONDS],
  });
  recordFigure({
    name: `e2e soak: start of a VM that succeeded, ${of}`,
    unit: 'ms',
    samples: soak.outcomes.flatMap((outcome) =>
      outcome.result === 'ok' ? (outcome.phases.start ?? []) : [],
    ),
  });
  // The fitted growth over the soak (what the tolerance above judges, over the whole soak).
  recordFigure({
    name: 'e2e soak: RSS growth per 100 VMs',
    unit: 'MiB',
    samples: [soak.slopes.rssMib],
  });
  recordFigure({
    name: 'e2e soak: heap growth per 100 VMs',
    unit: 'MiB',
    samples: [soak.slopes.heapMib],
  });
  recordFigure({
    name: 'e2e soak: file descriptors gained per 100 VMs',
    unit: 'fds',
    samples: [soak.slopes.fds],
  });
  return [...soak.problems];
});
