// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { StringDecoder } from 'node:string_decoder';
import { CumulativeTotals } from './cumulative-totals.js';
import type { MetricsEntry } from './metrics-record.js';
import { parseMetricsLine } from './parse-line.js';

/** The entries of a stream of metrics bytes: one or more per line, totals added if asked. */
export async function* metricsEntriesOf(
  chunks: AsyncIterable<Buffer>,
  cumulative: boolean,
): AsyncGenerator<MetricsEntry> {
  const decoder = new StringDecoder('utf8');
  const totals = cumulative ? new CumulativeTotals() : undefined;
  const withTotals = (entry: MetricsEntry): MetricsEntry =>
    totals !== undefined && entry.type === 'record' ? totals.add(entry) : entry;
  let pending = '';
  for await (const chunk of chunks) {
    pending += decoder.write(chunk);
    let newline = pending.indexOf('\n');
    let start = 0;
    while (newline !== -1) {
      for (const entry of parseMetricsLine(pending.slice(start, newline))) {
        yield withTotals(entry);
      }
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  pending += decoder.end();
  // The writer ended mid-line: what came of the line is reported torn.
  for (const entry of parseMetricsLine(pending, false)) {
    yield withTotals(entry);
  }
}
