// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// `pnpm xtask <task>`: the repository's own tasks, in the spirit of `cargo xtask`.
import process from 'node:process';
import { type CheckContext, type CheckResult, formatProblem } from './check.ts';
import { runBench } from './tasks/bench.ts';
import { parseBenchFlags } from './tasks/bench-options.ts';
import { runFmt } from './tasks/fmt.ts';
import { runLicense } from './tasks/license.ts';
import { runLint } from './tasks/lint.ts';
import { runPrepush } from './tasks/prepush.ts';
import { runStyle } from './tasks/style.ts';
import { findRoot } from './workspace.ts';

const USAGE = `usage: pnpm xtask <task> [flags]

tasks:
  lint [--strict]   oxlint with type-aware rules; --strict turns warnings into errors
  fmt [--write]     check formatting (Prettier); --write formats in place
  license           every source file starts with the header in tooling/license-header.json
  style             the chain of imports, package.json conventions, READMEs, test names, no
                    default exports or console output in package sources
  prepush           lint --strict, fmt, license and style in turn
  guest             builds the test guest (kernel, initrd, ext4 data drive) from Debian's
                    packages into .guest/, or reuses it when nothing changed
  e2e [--json] [--no-build]
                    builds, then runs the end-to-end scenarios (packages/e2e) against fake-vmm, or a
                    real Firecracker when KINDLING_FIRECRACKER, KINDLING_JAILER,
                    KINDLING_SNAPSHOT_EDITOR, KINDLING_KERNEL and KINDLING_INITRD are set; prints a
                    table of scenario × backend × result, or JSON
  release-check     versions and publishes HEAD's packages to a throw-away local registry
                    (verdaccio), installs each alone into an empty folder, runs a program on
                    @kindling/vm and @kindling/fake-vmm from it, releases a vmm-core patch, and
                    checks every tarball (files, metadata, publint, attw); writes
                    .reports/release-check.md
  bench [--quick] [--only <substring>[,…]] [--strict] [--write-readme] [--no-build]
                    builds, then runs every packages/*/bench/*.bench.ts (--only: those whose path
                    contains a substring; --quick: fewer samples) and prints one table of every
                    figure (median, p95, baseline, ratio, target, met/MISSED), also written to
                    .reports/bench.json and .reports/bench.md; --strict fails on a MISSED
                    target; --write-readme puts the table in the root README
`;

const print = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

const report = (result: CheckResult): void => {
  print(`── ${result.name}: ${result.ok ? 'ok' : `FAILED (${result.problems.length} problem(s))`}`);
  for (const problem of result.problems) {
    print(`   ${formatProblem(problem)}`);
  }
};

const TASKS: Record<string, (context: CheckContext) => Promise<CheckResult>> = {
  lint: runLint,
  fmt: runFmt,
  license: runLicense,
  style: runStyle,
  // Loaded only when asked for: the guest builder pulls in tsup.
  guest: async (context) => (await import('./tasks/guest.ts')).runGuest(context),
  'release-check': async (context) =>
    (await import('./tasks/release-check.ts')).runReleaseCheck(context),
};

// Bench has flags with values (`--only <substring>`): its own parser.
const bench = async (flags: readonly string[]): Promise<number> => {
  const { options, unknown } = parseBenchFlags(flags);
  if (unknown.length > 0) {
    process.stderr.write(`xtask: unknown flag(s) ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const result = await runBench({ root: findRoot(process.cwd()), options });
  report(result);
  return result.ok ? 0 : 1;
};

const main = async (argv: readonly string[]): Promise<number> => {
  const [task, ...flags] = argv;
  if (task === 'bench') {
    return bench(flags);
  }
  const known = new Set(['--strict', '--write', '--no-build', '--json']);
  const unknown = flags.filter((flag) => !known.has(flag));
  if (task === undefined || task === '--help' || task === '-h') {
    print(USAGE);
    return task === undefined ? 2 : 0;
  }
  if (unknown.length > 0) {
    process.stderr.write(`xtask: unknown flag(s) ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const context: CheckContext = {
    root: findRoot(process.cwd()),
    strict: flags.includes('--strict'),
    write: flags.includes('--write'),
  };
  if (task === 'prepush') {
    const results = await runPrepush(context, report);
    const failed = results.filter((result) => !result.ok).map((result) => result.name);
    print(
      failed.length === 0 ? 'prepush: all checks passed' : `prepush: FAILED: ${failed.join(', ')}`,
    );
    return failed.length === 0 ? 0 : 1;
  }
  if (task === 'e2e') {
    const { runE2e } = await import('./tasks/e2e.ts');
    const result = await runE2e({
      ...context,
      json: flags.includes('--json'),
      skipBuild: flags.includes('--no-build'),
    });
    report(result);
    return result.ok ? 0 : 1;
  }
  const run = TASKS[task];
  if (run === undefined) {
    process.stderr.write(`xtask: unknown task "${task}"\n${USAGE}`);
    return 2;
  }
  const result = await run(context);
  report(result);
  return result.ok ? 0 : 1;
};

process.exitCode = await main(process.argv.slice(2));
