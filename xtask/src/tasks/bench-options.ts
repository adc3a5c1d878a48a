// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The flags of `pnpm xtask bench`.

/** What a `pnpm xtask bench` run does. */
export interface BenchOptions {
  readonly skipBuild: boolean;
  /** Fewer samples, for a run of a few minutes (`KINDLING_BENCH_QUICK=1` in each script). */
  readonly quick: boolean;
  /** A missed target fails the run. */
  readonly strict: boolean;
  /** Replace the root README's table with this run's. */
  readonly writeReadme: boolean;
  /** Run only the scripts whose path contains one of these (all when empty). */
  readonly only: readonly string[];
}

const SWITCHES: Record<string, keyof Omit<BenchOptions, 'only'>> = {
  '--no-build': 'skipBuild',
  '--quick': 'quick',
  '--strict': 'strict',
  '--write-readme': 'writeReadme',
};

/**
 * The options of `bench`'s flags: `--only <substring>` (or `--only=<substring>`) may repeat and
 * may list several, comma-separated. `unknown` names every flag it did not understand.
 */
export const parseBenchFlags = (
  flags: readonly string[],
): { options: BenchOptions; unknown: string[] } => {
  const switches = { skipBuild: false, quick: false, strict: false, writeReadme: false };
  const only: string[] = [];
  const unknown: string[] = [];
  for (let index = 0; index < flags.length; index += 1) {
    const flag = flags[index] ?? '';
    const key = SWITCHES[flag];
    if (key !== undefined) {
      switches[key] = true;
    } else if (flag === '--only' || flag.startsWith('--only=')) {
      const value = flag === '--only' ? flags[(index += 1)] : flag.slice('--only='.length);
      const parts = (value ?? '').split(',').filter((part) => part !== '');
      if (parts.length === 0) {
        unknown.push(`${flag} (needs a substring of a script's path)`);
      }
      only.push(...parts);
    } else {
      unknown.push(flag);
    }
  }
  return { options: { ...switches, only }, unknown };
};

/** The scripts `only` selects: those whose path contains one of its substrings (all when empty). */
export const selectScripts = (scripts: readonly string[], only: readonly string[]): string[] =>
  only.length === 0
    ? [...scripts]
    : scripts.filter((script) => only.some((part) => script.includes(part)));
