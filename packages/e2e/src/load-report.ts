// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { quantile } from '../../../tooling/bench-stats.ts';
import type { VmOutcome, VmPhase } from './vm-lifecycle.ts';

const PHASES: readonly VmPhase[] = ['start', 'use', 'shutdown'];

/** Each phase's time over the VMs that finished it: `start p50 812 ms, p95 …, max … (n=100)`. */
export const formatPhases = (outcomes: readonly VmOutcome[]): string[] =>
  PHASES.map((phase) => {
    const samples = outcomes.flatMap((outcome) => {
      const ms = outcome.phases[phase];
      return ms === undefined ? [] : [ms];
    });
    return samples.length === 0
      ? `${phase}: none finished`
      : `${phase}: p50 ${quantile(samples, 0.5).toFixed(0)} ms, p95 ${quantile(samples, 0.95).toFixed(0)} ms, max ${Math.max(...samples).toFixed(0)} ms (n=${samples.length})`;
  });

/** How many VMs ended each way, and each distinct error with how often it came. */
export const summarizeOutcomes = (
  outcomes: readonly VmOutcome[],
): { counts: Record<string, number>; errors: Map<string, number> } => {
  const counts: Record<string, number> = {};
  const errors = new Map<string, number>();
  for (const outcome of outcomes) {
    counts[outcome.result] = (counts[outcome.result] ?? 0) + 1;
    if (outcome.teardown !== 'ok') {
      counts[`teardown-${outcome.teardown}`] = (counts[`teardown-${outcome.teardown}`] ?? 0) + 1;
    }
    for (const error of [outcome.error, outcome.teardownError]) {
      // The code and the message's start: ids and paths after it make every message unique.
      const key = error?.slice(0, 90);
      if (key !== undefined) {
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
    }
  }
  return { counts, errors };
};

/** The least-squares slope of `ys` over `xs` (0 with fewer than two points). */
export const slopeOf = (xs: readonly number[], ys: readonly number[]): number => {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) {
    return 0;
  }
  const meanX = xs.slice(0, n).reduce((sum, x) => sum + x, 0) / n;
  const meanY = ys.slice(0, n).reduce((sum, y) => sum + y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (let index = 0; index < n; index += 1) {
    const dx = (xs[index] ?? 0) - meanX;
    covariance += dx * ((ys[index] ?? 0) - meanY);
    variance += dx * dx;
  }
  return variance === 0 ? 0 : covariance / variance;
};
