// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describeValue, MAX_TIMER_MS } from '@kindling/helpers';
import { MetricsError } from './errors.js';
import { metricsEntriesOf } from './metrics-entries.js';
import type { MetricsEntry } from './metrics-record.js';
import { metricsChunks, openMetricsSource } from './metrics-source.js';
import { ReadingStop } from './reading-stop.js';

/** What `readMetrics` takes. */
export interface ReadMetricsOptions {
  /** Stops reading at once; the iteration then ends without an error. */
  readonly signal?: AbortSignal;
  /**
   * Settles when the writer has ended (the VM's process exited; see `vmEnded`): what is written
   * is read to its end, a last line without its newline is reported torn, and the iteration ends.
   * A FIFO ends by itself when Firecracker exits once it has written; a file needs this (or
   * `signal`) to end.
   */
  readonly until?: PromiseLike<unknown>;
  /** Adds running `totals` to each record (deltas summed since the first line). Default false. */
  readonly cumulative?: boolean;
  /** How often a regular file is looked at for new lines, in ms. Default 250. */
  readonly pollIntervalMs?: number;
}

const invalid = (message: string) => new MetricsError('ERR_INVALID_INPUT', message);

const checkOptions = (path: unknown, options: ReadMetricsOptions): number => {
  if (typeof path !== 'string' || path === '') {
    throw invalid(
      `readMetrics path: must be the metrics file or FIFO's path, got ${describeValue(path)}`,
    );
  }
  const poll = options.pollIntervalMs ?? 250;
  if (!Number.isInteger(poll) || poll < 1 || poll > MAX_TIMER_MS) {
    throw invalid(
      `readMetrics options.pollIntervalMs: must be an integer from 1 to ${MAX_TIMER_MS}, got ${describeValue(options.pollIntervalMs)}`,
    );
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw invalid(
      `readMetrics options.signal: must be an AbortSignal, got ${describeValue(options.signal)}`,
    );
  }
  const { until, cumulative } = options;
  if (until !== undefined && typeof (until as { then?: unknown } | null)?.then !== 'function') {
    throw invalid(
      `readMetrics options.until: must be a promise (e.g. vmEnded(vm)), got ${describeValue(until)}`,
    );
  }
  if (cumulative !== undefined && typeof cumulative !== 'boolean') {
    throw invalid(
      `readMetrics options.cumulative: must be true or false, got ${describeValue(cumulative)}`,
    );
  }
  return poll;
};

/**
 * Firecracker's metrics, one entry per line, from its metrics file (followed as it grows) or
 * FIFO (read without blocking Firecracker or the event loop). Each line is a `MetricsRecord`;
 * a torn or garbled line is a `MalformedMetricsLine`, and reading goes on. Unknown groups and
 * fields (another Firecracker version's) are kept; missing ones are simply absent.
 *
 * The path is opened before the first entry is asked for, so a missing path fails at once
 * (`ERR_METRICS_SOURCE`). Ends on `signal`, or after the last line once the writer ended.
 */
export const readMetrics = async (
  path: string,
  options: ReadMetricsOptions = {},
): Promise<AsyncIterable<MetricsEntry>> => {
  // null is no options, as undefined is.
  options ??= {};
  const poll = checkOptions(path, options);
  const { fd, fifo } = await openMetricsSource(path);
  const stop = new ReadingStop(options.signal, options.until);
  return metricsEntriesOf(metricsChunks(path, fd, fifo, stop, poll), options.cumulative ?? false);
};
