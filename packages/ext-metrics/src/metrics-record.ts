// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** The numeric fields of one group of a metrics line; nested objects flattened with a dot. */
export type MetricFields = Readonly<Record<string, number>>;

/** One metrics line Firecracker flushed, as read. */
export interface MetricsRecord {
  readonly type: 'record';
  /** `utc_timestamp_ms`: when Firecracker wrote the line (ms since the epoch), if the line has it. */
  readonly timestampMs: number | undefined;
  /**
   * Every group by its top-level key (`api_server`, `block`, `block_rootfs`, …), each field as
   * written: the increase since the previous flush for a delta, the current value for a value
   * (see `metricKindOf`). Groups and fields of other Firecracker versions are kept as they are.
   */
  readonly groups: Readonly<Record<string, MetricFields>>;
  /**
   * With `cumulative: true`: the same groups with each delta summed over every line read so far
   * (values and fields of unknown kind as written). Undefined otherwise.
   */
  readonly totals: Readonly<Record<string, MetricFields>> | undefined;
  /** Top-level keys that are not groups of numbers (`id`, `properties` of newer versions). */
  readonly other: Readonly<Record<string, unknown>>;
}

/** A line that is not a metrics object: torn by a writer that died or was cut, or garbled. */
export interface MalformedMetricsLine {
  readonly type: 'malformed';
  /** `torn`: the line was cut short (no end, or a new line began inside it); `invalid`: not one. */
  readonly reason: 'torn' | 'invalid';
  /** The line's text (at most the first 4 KiB). */
  readonly text: string;
}

/** What reading metrics yields: a record per line, or a malformed line (and reading goes on). */
export type MetricsEntry = MetricsRecord | MalformedMetricsLine;
