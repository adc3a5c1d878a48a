// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import type { FakeSwitches } from '@kindling/fake-vmm';
import { warmUp, type VmBounds } from './load-burst.ts';
import { createLoadRun, type LoadRun } from './load-run.ts';

/** Why a load run cannot run here (undefined when it can): TAPs and the jailer need root. */
export const noLoadRun: string | undefined =
  process.getuid?.() === 0 && existsSync('/usr/sbin/ip') && existsSync('/usr/sbin/nft')
    ? undefined
    : 'needs root (CAP_NET_ADMIN, the jailer) and ip and nft in /usr/sbin';

/**
 * Runs a load benchmark: a run with these fault profiles, warmed up with `bounds`; `measure`
 * prints its figures and resolves with what went wrong. Whatever happens the run is swept (what
 * the sweep had to remove is a failure too); each failure is printed as `FAIL …`, and the exit
 * code is 1 when there was any. `print` writes a line of the report (the console's, say).
 */
export const runLoadBenchmark = async (
  name: string,
  options: {
    readonly profiles: Readonly<Record<string, FakeSwitches>>;
    readonly bounds: VmBounds;
    readonly print: (line: string) => void;
  },
  measure: (run: LoadRun) => Promise<string[]>,
): Promise<void> => {
  const { profiles, bounds, print } = options;
  if (noLoadRun !== undefined) {
    print(`${name} bench skipped: ${noLoadRun}`);
    return;
  }
  const problems: string[] = [];
  const run = await createLoadRun(name, profiles);
  try {
    const failed = await warmUp(run, bounds);
    // The figures are measured even when the warm-up failed: they may say why.
    const measured = await measure(run);
    problems.push(
      ...failed.map(
        (outcome) => `warm-up ${outcome.id}: ${outcome.error ?? outcome.teardownError}`,
      ),
      ...measured,
    );
  } catch (error) {
    problems.push(`the benchmark threw: ${String(error)}`);
  } finally {
    const swept = await run.sweep();
    if (swept.length > 0) {
      problems.push(`left behind, removed by the sweep: ${swept.join(', ')}`);
    }
  }
  for (const problem of problems) {
    print(`FAIL ${problem}`);
  }
  process.exitCode = problems.length === 0 ? 0 : 1;
};
