// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Writable } from 'node:stream';
import type { ProcessSpawner } from '@kindling/spawner';
import { JAILER_FLAGS } from './jailer-flags.js';
import { parseArguments } from './arg-parser.js';
import { resolveJailerConfig } from './jailer-config.js';
import { JailerError, jailerErrors } from './jailer-error.js';
import { formatJailerHelp, formatJailerVersion } from './jailer-help.js';
import { readJailerHost } from './jailer-host.js';
import { keptEnvironment } from './privileges.js';
import { cpuTimeUs, type FirecrackerRunner, runJail } from './run-jail.js';

/** What the fake jailer runs with; the bin passes the real process's. */
export interface RunJailerOptions {
  /** Arguments after the program name. */
  readonly argv: readonly string[];
  /** The environment the jailer was started with; it is cleared but for `KINDLING_FAKE_*`. */
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Runs `mknod(1)` and `prlimit(1)`. */
  readonly spawner: ProcessSpawner;
  readonly runFirecracker: FirecrackerRunner;
  /** The fake Firecracker executable started detached for `--daemonize` / `--new-pid-ns`. */
  readonly firecrackerBin: string;
}

// Upstream's `main` returns the error: it prints its Display, then Rust prints `Error: <Debug>`.
const report = (stderr: Writable, error: JailerError): number => {
  stderr.write(`${error.message}\nError: ${error.debug}\n`);
  return 1;
};

/**
 * Runs the fake jailer: parses and validates its arguments as the real v1.16.1 jailer does, lays
 * out the jail, and then runs the fake Firecracker in this process (as exec(2) would, keeping the
 * pid) or, with `--daemonize` / `--new-pid-ns`, as a detached child. Resolves with the exit code.
 */
export const runJailer = async (options: RunJailerOptions): Promise<number> => {
  const startTimeUs = process.hrtime.bigint() / 1000n;
  const startCpuUs = cpuTimeUs();
  const env = keptEnvironment(options.env);
  const outcome = parseArguments(JAILER_FLAGS, options.argv);
  if (outcome.kind === 'help' || outcome.kind === 'version') {
    options.stdout.write(outcome.kind === 'help' ? formatJailerHelp() : formatJailerVersion());
    return 0;
  }
  if (outcome.kind === 'error') {
    const { display, debug } = outcome.error;
    return report(options.stderr, jailerErrors.argumentParsing(display, debug));
  }
  try {
    const config = resolveJailerConfig(outcome.arguments, readJailerHost(env));
    return await runJail(config, {
      spawner: options.spawner,
      toolPath: options.env['PATH'],
      stdout: options.stdout,
      runFirecracker: options.runFirecracker,
      firecrackerBin: options.firecrackerBin,
      env,
      startTimeUs,
      startCpuUs,
    });
  } catch (error) {
    if (error instanceof JailerError) {
      return report(options.stderr, error);
    }
    throw error;
  }
};
