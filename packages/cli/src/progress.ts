// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import ora from 'ora';
import type { Output } from './output.js';

/** One finished step: what it was and how long it took. */
export interface StepTiming {
  readonly step: string;
  readonly ms: number;
}

/**
 * Runs a step that may take more than a second with progress on stderr: a spinner on a terminal,
 * a line when it ends otherwise (never on stdout, which carries the data). Returns its result.
 */
export const runStep = async <Result>(
  out: Output,
  label: string,
  work: (update: (text: string) => void) => Promise<Result>,
  timings?: StepTiming[],
): Promise<Result> => {
  const started = performance.now();
  const spinner =
    out.io.stderr.isTTY === true
      ? ora({
          text: label,
          stream: out.io.stderr,
          color: false,
          isEnabled: true,
          // Stdin is the VM console's (\`run\` reads Ctrl-C from it): never take it over.
          discardStdin: false,
        }).start()
      : undefined;
  const update = (text: string): void => {
    if (spinner !== undefined) {
      spinner.text = `${label} ${text}`;
    }
  };
  try {
    const result = await work(update);
    const ms = Math.round(performance.now() - started);
    timings?.push({ step: label, ms });
    const done = `${label} (${formatMs(ms)})`;
    if (spinner === undefined) {
      out.note(`${out.styleErr('green', '✓')} ${done}`);
    } else {
      spinner.succeed(done);
    }
    return result;
  } catch (error) {
    const failed = `${label}: failed`;
    if (spinner === undefined) {
      out.note(`${out.styleErr('red', '✗')} ${failed}`);
    } else {
      spinner.fail(failed);
    }
    throw error;
  }
};

/** A duration for people: "840 ms", "2.4 s". */
export const formatMs = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
