// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The load run and the soak of bench/ in small (20 VMs at once; a 30 s soak with faults),
// asserting outcomes and the host census only: the figures are the benchmarks' business.
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareCensus, type HostCensus } from '../src/host-census.ts';
import { noLoadRun } from '../src/load-benchmark.ts';
import { boundsFor, runBurst, warmUp } from '../src/load-burst.ts';
import { createLoadRun, type LoadRun } from '../src/load-run.ts';
import { SOAK_PROFILES } from '../src/soak-faults.ts';
import { judgeOutcomes, runSoak } from '../src/soak-loop.ts';

const SKIP_NOTE = noLoadRun === undefined ? '' : ` [skipped: ${noLoadRun}]`;

const BOUNDS = boundsFor(TEST_WAIT_MS);
// The soak's stalled API calls and ignored Ctrl+Alt+Del end at these, well inside the bound.
const SOAK_BOUNDS = boundsFor(TEST_WAIT_MS, { apiTimeoutMs: 5_000, ctrlAltDelMs: 1_000 });
// Memory is not judged here (a test's process holds vitest's own): the benchmarks report it.
const ANY_MEMORY = { rssMib: Number.POSITIVE_INFINITY, heapMib: Number.POSITIVE_INFINITY };

describe.skipIf(noLoadRun !== undefined)(`load against fake-vmm${SKIP_NOTE}`, () => {
  let run: LoadRun;
  let before: HostCensus;
  beforeAll(async () => {
    run = await createLoadRun('load-it', SOAK_PROFILES);
    const failed = await warmUp(run, BOUNDS);
    if (failed.length > 0) {
      throw new Error(`the warm-up failed: ${judgeOutcomes(failed).join('; ')}`);
    }
    before = await run.census();
  });
  // The last test sweeps; this one is for a run that failed before it.
  afterAll(async () => {
    await run.sweep();
  });

  it('lives 20 VMs at once (10 unrestricted, 10 jailed) to success, and the host comes back', async () => {
    const plans = Array.from({ length: 20 }, (_, index) => ({
      ...BOUNDS,
      jailed: index % 2 === 1,
      profile: 'clean',
    }));
    const burst = await runBurst(run, plans);
    expect(judgeOutcomes(burst.outcomes)).toEqual([]);
    expect(burst.outcomes.map((outcome) => outcome.result)).toEqual(plans.map(() => 'ok'));
    expect(compareCensus(before, await run.census(), ANY_MEMORY)).toEqual([]);
  });

  it('soaks 30 s with faults: each VM succeeds or fails with a KindlingError in time, nothing accumulates', async () => {
    const soak = await runSoak(run, {
      durationMs: 30_000,
      concurrency: 4,
      sampleEvery: 3,
      bounds: SOAK_BOUNDS,
      tolerance: ANY_MEMORY,
    });
    expect(soak.problems).toEqual([]);
    expect(compareCensus(before, await run.census(), ANY_MEMORY)).toEqual([]);
  });

  it('leaves nothing behind: no process, TAP, namespace or nft table for the sweep to remove', async () => {
    expect(await run.sweep()).toEqual([]);
  });
});
