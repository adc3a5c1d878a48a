// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import type { CheckContext, CheckResult } from '../check.ts';
import { resultOf } from '../check.ts';
import { run } from '../release/command.ts';
import { releaseRun } from '../release/release-run.ts';
import { writeReport } from '../release/write-report.ts';

const CHECK_MS = 600_000;

/**
 * `pnpm xtask release-check`: versions and publishes HEAD's packages to a throw-away verdaccio,
 * installs them as users would, runs a program on them, releases a vmm-core patch, and checks
 * every tarball; writes `.reports/release-check.md` and prints its summary.
 */
export const runReleaseCheck = async (
  context: CheckContext,
  output: NodeJS.WritableStream = process.stdout,
): Promise<CheckResult> => {
  const signal = AbortSignal.timeout(CHECK_MS);
  const upstream = (
    await run('npm', ['config', 'get', 'registry'], {
      cwd: context.root,
      timeoutMs: 30_000,
      signal,
      keepNpmSettings: true,
    })
  ).trim();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'kindling-release-'));
  try {
    const report = await releaseRun({ root: context.root, tmp, upstream, signal, output });
    output.write(await writeReport(context.root, report));
    return resultOf('release-check', report.problems);
  } finally {
    const started = performance.now();
    await rm(tmp, { recursive: true, force: true });
    output.write(
      `release-check: removed ${tmp} in ${Math.round(performance.now() - started)} ms\n`,
    );
  }
};
