// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { MetricsEntry, MetricsRecord } from '../../src/index.js';

/** The entry as a record, failing the test when it is a malformed line (or none). */
export const recordOf = (entry: MetricsEntry | undefined): MetricsRecord => {
  if (entry?.type !== 'record') {
    throw new Error(`expected a record, got ${JSON.stringify(entry)}`);
  }
  return entry;
};

/** A field of a record's group, failing the test when the record has no such field. */
export const fieldOf = (entry: MetricsEntry | undefined, key: string, field: string): number => {
  const value = recordOf(entry).groups[key]?.[field];
  if (value === undefined) {
    throw new Error(`the record has no ${key}.${field}`);
  }
  return value;
};

/** A short description of an entry: `record <timestamp>`, or `<reason> <length of the text>`. */
export const describeEntry = (entry: MetricsEntry | undefined): string => {
  if (entry === undefined) {
    return 'none';
  }
  return entry.type === 'record'
    ? `record ${String(entry.timestampMs)}`
    : `${entry.reason} ${entry.text.length}`;
};
