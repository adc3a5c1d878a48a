// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Writable } from 'node:stream';
import { LOG_SITES, type FirecrackerLogger } from './firecracker-logger.js';
import type { FirecrackerMetrics } from './firecracker-metrics.js';
import { describeIoError } from '../rust/io-error.js';
import type { ProcessEnd } from './process-end.js';

/** `FcExitCode` values the fake uses, and 137 for a run aborted as SIGKILL would. */
export const EXIT_CODES = {
  ok: 0,
  generic: 1,
  unexpected: 2,
  badConfiguration: 152,
  argParsing: 153,
  killed: 137,
} as const;

/** The process's outputs, logger and end. */
export interface StartupIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly logger: FirecrackerLogger;
  readonly end: ProcessEnd;
}

/** `main()`'s error path: log the Display form, print the Debug form, log the exit code. */
export const failMain = (io: StartupIo, display: string, debug: string, code: number): number => {
  io.logger.error(LOG_SITES.main, display);
  io.stderr.write(`Error: ${debug}\n`);
  io.logger.error(LOG_SITES.mainExit, `Firecracker exiting with error. exit_code=${code}`);
  return code;
};

/** `main()`'s success path after `--version`, `--help`, `--snapshot-version`, …: log the exit. */
export const succeedMain = (io: StartupIo): number => {
  io.logger.info(
    LOG_SITES.mainExit,
    `Firecracker exiting successfully. exit_code=${EXIT_CODES.ok}`,
  );
  return EXIT_CODES.ok;
};

/** The logger could not open `--log-path`. */
export const failLoggerInit = (io: StartupIo, error: unknown): number =>
  failMain(
    io,
    `Could not initialize logger: Failed to open target file: ${describeIoError(error).display}`,
    `LoggerInitialization(OpenFile(${describeIoError(error).debug}))`,
    EXIT_CODES.generic,
  );

/** A Rust panic (`panic = "abort"`): the hook logs it and flushes metrics, then SIGABRT. */
export const panicWith = (
  io: StartupIo,
  metrics: FirecrackerMetrics | undefined,
  message: string,
  location: `${number}:${number}`,
): Promise<never> => {
  io.logger.error(
    LOG_SITES.main,
    `Firecracker panicked at src/firecracker/src/main.rs:${location}:\n${message}`,
  );
  metrics?.store('vmm', 'panic_count', 1);
  metrics?.flush({ blocks: [], vhostUserBlocks: [], nets: [], pmems: [] });
  io.end.abort();
  return new Promise<never>(() => {
    // Never settles: the process is aborting.
  });
};
