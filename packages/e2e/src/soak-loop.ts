// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { EXACT_COUNTS, type HostCensus, type MemoryTolerance } from './host-census.ts';
import type { VmBounds } from './load-burst.ts';
import { slopeOf } from './load-report.ts';
import type { LoadRun } from './load-run.ts';
import { HARMLESS_PROFILES, SOAK_PROFILES } from './soak-faults.ts';
import { runVmLifecycle, type VmOutcome, type VmPlan } from './vm-lifecycle.ts';
import type { KillPoint } from './vm-usage.ts';

/** How a soak runs. */
export interface SoakOptions {
  readonly durationMs: number;
  /** VMs per round, started together; the next round starts when all have ended. */
  readonly concurrency: number;
  /** A census every this many rounds, when no VM is alive. */
  readonly sampleEvery: number;
  /** The bounds of each VM (`VmPlan` without what the soak picks). */
  readonly bounds: VmBounds;
  /** How much memory may grow from the first sample to the last (the fit's rise). */
  readonly tolerance: MemoryTolerance;
  /** Random numbers in [0, 1): `Math.random` unless a seeded one is given. */
  readonly random?: () => number;
}

/** One census of a soak, with how many VMs had lived by then. */
export interface SoakSample {
  readonly round: number;
  readonly vms: number;
  readonly census: HostCensus;
}

/** What a soak did: every VM's outcome, the censuses, and what went wrong (empty when nothing). */
export interface SoakReport {
  readonly outcomes: readonly VmOutcome[];
  readonly samples: readonly SoakSample[];
  /** Memory growth per 100 VMs, as fitted over the samples. */
  readonly slopes: { readonly rssMib: number; readonly heapMib: number; readonly fds: number };
  readonly problems: readonly string[];
}

const KILL_POINTS: readonly (KillPoint | undefined)[] = ['before-use', 'mid-use'];

const pick = <T>(items: readonly T[], random: () => number): T =>
  items[Math.floor(random() * items.length)] as T;

const planOf = (options: SoakOptions, random: () => number): VmPlan => {
  const jailed = random() < 0.5;
  return {
    ...options.bounds,
    jailed,
    profile: pick(Object.keys(SOAK_PROFILES), random),
    // A namespace with veth, NAT and egress for some unrestricted VMs: more for the host to undo.
    namespace: !jailed && random() < 0.2,
    killAt: random() < 0.15 ? pick(KILL_POINTS, random) : undefined,
  };
};

/** What is wrong with one VM's outcome: a hang, an error that is not Kindling's, a lost success. */
export const judgeOutcome = (outcome: VmOutcome): string | undefined => {
  const { plan } = outcome;
  const label = `${outcome.id} (${plan.jailed ? 'jailed' : 'unrestricted'}, ${plan.profile}${plan.killAt === undefined ? '' : `, killed ${plan.killAt}`})`;
  if (outcome.result === 'hung' || outcome.teardown === 'hung') {
    return `${label}: hung past ${plan.boundMs} ms (${outcome.result === 'hung' ? 'its life' : 'its teardown'})`;
  }
  if (outcome.result === 'other' || outcome.teardown === 'other') {
    return `${label}: not a KindlingError: ${outcome.error ?? outcome.teardownError}`;
  }
  if (outcome.leftovers.length > 0) {
    return `${label}: left ${outcome.leftovers.join(', ')} (${outcome.result}${outcome.error === undefined ? '' : `: ${outcome.error}`})`;
  }
  if (outcome.teardown === 'kindling') {
    return `${label}: its teardown failed: ${outcome.teardownError}`;
  }
  if (outcome.result !== 'ok' && HARMLESS_PROFILES.has(plan.profile) && plan.killAt === undefined) {
    return `${label}: failed with no fault that should fail it: ${outcome.error}`;
  }
  return undefined;
};

/** What accumulated over the samples: any exact count above the first sample's, memory beyond. */
export const judgeSamples = (
  samples: readonly SoakSample[],
  tolerance: MemoryTolerance,
): { problems: string[]; slopes: SoakReport['slopes'] } => {
  const first = samples[0];
  const problems: string[] = [];
  const xs = samples.map((sample) => sample.vms / 100);
  const slope = (key: 'rssMib' | 'heapMib' | 'fds') =>
    slopeOf(
      xs,
      samples.map((sample) => sample.census[key]),
    );
  const slopes = { rssMib: slope('rssMib'), heapMib: slope('heapMib'), fds: slope('fds') };
  if (first === undefined) {
    return { problems: ['no census was taken'], slopes };
  }
  const last = samples.at(-1) ?? first;
  for (const key of EXACT_COUNTS) {
    const rose = samples.find((sample) => sample.census[key] > first.census[key]);
    if (rose !== undefined) {
      problems.push(
        `${key} rose from ${first.census[key]} to ${rose.census[key]} by round ${rose.round} (${last.census[key]} at round ${last.round})`,
      );
    }
  }
  const span = (xs.at(-1) ?? 0) - (xs[0] ?? 0);
  for (const key of ['rssMib', 'heapMib'] as const) {
    const rise = slopes[key] * span;
    if (rise > tolerance[key]) {
      problems.push(
        `${key} trends upward: ${slopes[key].toFixed(2)} MiB per 100 VMs, ${rise.toFixed(1)} MiB over the soak (tolerance ${tolerance[key]} MiB)`,
      );
    }
  }
  return { problems, slopes };
};

/** What is wrong with each of `outcomes` (`judgeOutcome`), empty when nothing is. */
export const judgeOutcomes = (outcomes: readonly VmOutcome[]): string[] =>
  outcomes.flatMap((outcome) => judgeOutcome(outcome) ?? []);

/**
 * Creates and destroys VMs on `run` in rounds of `concurrency` for `durationMs`, each with a
 * random fault (a fault profile, an outside SIGKILL), mixed unrestricted and jailed; takes a
 * census every `sampleEvery` rounds. `onSample` sees each census as it is taken.
 */
export const runSoak = async (
  run: LoadRun,
  options: SoakOptions,
  onSample: (sample: SoakSample) => void = () => {},
): Promise<SoakReport> => {
  const random = options.random ?? Math.random;
  const outcomes: VmOutcome[] = [];
  const samples: SoakSample[] = [];
  const sample = async (round: number) => {
    const taken = { round, vms: outcomes.length, census: await run.census() };
    samples.push(taken);
    onSample(taken);
  };
  await sample(0);
  const ends = performance.now() + options.durationMs;
  let round = 0;
  while (performance.now() < ends) {
    round += 1;
    const plans = Array.from({ length: options.concurrency }, () => planOf(options, random));
    outcomes.push(...(await Promise.all(plans.map((plan) => runVmLifecycle(run, plan)))));
    if (round % options.sampleEvery === 0) {
      await sample(round);
    }
  }
  if (round % options.sampleEvery !== 0) {
    await sample(round);
  }
  const judged = judgeSamples(samples, options.tolerance);
  return {
    outcomes,
    samples,
    slopes: judged.slopes,
    problems: [...outcomes.flatMap((outcome) => judgeOutcome(outcome) ?? []), ...judged.problems],
  };
};
