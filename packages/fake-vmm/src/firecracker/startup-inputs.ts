// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFileSync } from 'node:fs';
import type { FakeEnvConfig } from '../faults/env-switches.js';
import { openJournalWriter, type JournalWriter } from '../faults/journal-writer.js';
import { FirecrackerMetrics } from './firecracker-metrics.js';
import { describeIoError } from '../rust/io-error.js';
import { EXIT_CODES, failMain, panicWith, type StartupIo } from './startup-failures.js';
import { parseRustUnsigned } from './startup-values.js';

/** What the fake reads and checks before it serves anything. */
export interface StartupInputs {
  readonly metrics: FirecrackerMetrics;
  readonly configText: string | undefined;
  readonly metadataText: string | undefined;
  /** `--http-api-max-payload-size`. */
  readonly payloadLimit: number;
  /** `--mmds-size-limit`, defaulting to the payload limit. */
  readonly mmdsSizeLimit: number;
  readonly startTimeUs: number | undefined;
  readonly journal: JournalWriter | undefined;
}

/** Firecracker's `main_exec` after the logger: metrics, seccomp, files, then numeric arguments. */
export const readStartupInputs = (
  io: StartupIo,
  env: FakeEnvConfig,
  values: ReadonlyMap<string, string>,
  resolvePath: (path: string) => string,
  apiEnabled: boolean,
): StartupInputs | number | Promise<never> => {
  const metrics = new FirecrackerMetrics();
  const metricsPath = values.get('metrics-path');
  if (metricsPath !== undefined) {
    try {
      metrics.init(resolvePath(metricsPath));
    } catch (error) {
      const reason = describeIoError(error).display;
      return failMain(
        io,
        `Could not initialize metrics: Cannot initialize the metrics system due to bad user input: ${reason}`,
        `MetricsInitialization(InitializationFailure(${JSON.stringify(reason)}))`,
        EXIT_CODES.generic,
      );
    }
  }
  const seccompFilter = values.get('seccomp-filter');
  if (seccompFilter !== undefined) {
    try {
      readFileSync(resolvePath(seccompFilter));
    } catch (error) {
      return failMain(
        io,
        `Seccomp error: Filter file open error: ${describeIoError(error).display}`,
        `SeccompFilter(FileOpen(${describeIoError(error).debug}))`,
        EXIT_CODES.generic,
      );
    }
  }
  const texts: Partial<Record<'config-file' | 'metadata', string>> = {};
  for (const [name, what, line] of [
    ['config-file', 'configuration file', '388:20'],
    ['metadata', 'mmds content file', '393:20'],
  ] as const) {
    const path = values.get(name);
    if (path !== undefined) {
      try {
        texts[name] = readFileSync(resolvePath(path), 'utf8');
      } catch (error) {
        return panicWith(
          io,
          metrics,
          `Unable to open or read from the ${what}: ${describeIoError(error).debug}`,
          line,
        );
      }
    }
  }
  const payloadLimit = parseRustUnsigned(values.get('http-api-max-payload-size') ?? '51200');
  if (typeof payloadLimit === 'string') {
    return panicWith(
      io,
      metrics,
      `'http-api-max-payload-size' parameter expected to be of 'usize' type.: ${payloadLimit}`,
      '403:18',
    );
  }
  const mmdsText = values.get('mmds-size-limit');
  const mmdsSizeLimit = mmdsText === undefined ? payloadLimit : parseRustUnsigned(mmdsText);
  if (typeof mmdsSizeLimit === 'string') {
    return panicWith(
      io,
      metrics,
      `'mmds-size-limit' parameter expected to be of 'usize' type.: ${mmdsSizeLimit}`,
      '415:18',
    );
  }
  let startTimeUs: number | undefined;
  const PANIC_LOCATIONS = {
    'start-time-us': '427:18',
    'start-time-cpu-us': '432:18',
    'parent-cpu-time-us': '437:18',
  } as const;
  // The process-time arguments are only parsed when the API runs.
  for (const name of apiEnabled
    ? (['start-time-us', 'start-time-cpu-us', 'parent-cpu-time-us'] as const)
    : []) {
    const text = values.get(name);
    const parsed = text === undefined ? undefined : parseRustUnsigned(text);
    if (typeof parsed === 'string') {
      return panicWith(
        io,
        metrics,
        `'${name}' parameter expected to be of 'u64' type.: ${parsed}`,
        PANIC_LOCATIONS[name],
      );
    }
    if (name === 'start-time-us') {
      startTimeUs = parsed;
    }
  }
  let journal: JournalWriter | undefined;
  if (env.journalPath !== undefined) {
    try {
      journal = openJournalWriter(env.journalPath);
    } catch (error) {
      io.stderr.write(
        `KINDLING_FAKE_JOURNAL=${env.journalPath}: cannot open the journal: ${describeIoError(error).display}\n`,
      );
      metrics.close();
      return EXIT_CODES.unexpected;
    }
  }
  return {
    metrics,
    configText: texts['config-file'],
    metadataText: texts.metadata,
    payloadLimit,
    mmdsSizeLimit,
    startTimeUs,
    journal,
  };
};
