// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The statistics every benchmark (`packages/*/bench/*.bench.ts`) reports, in one place.

/** The sample at quantile `q` (0.5: the median) of unsorted samples; NaN when there are none. */
export const quantile = (samples: readonly number[], q: number): number => {
  // A typed array sorts numbers as numbers, in a copy of the caller's samples.
  const sorted = Float64Array.from(samples);
  sorted.sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

/** How long one run takes, in milliseconds. */
export const timeOnce = async (run: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};
