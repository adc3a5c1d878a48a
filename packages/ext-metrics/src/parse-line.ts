// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type {
  MalformedMetricsLine,
  MetricFields,
  MetricsEntry,
  MetricsRecord,
} from './metrics-record.js';

const MAX_TEXT = 4096;
// Every line Firecracker writes starts so; a line that begins again inside another is two lines
// run together (the first one torn).
const LINE_START = '{"utc_timestamp_ms"';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const malformed = (reason: MalformedMetricsLine['reason'], text: string): MalformedMetricsLine => ({
  type: 'malformed',
  reason,
  text: text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text,
});

const flatten = (value: Record<string, unknown>, prefix: string, into: Record<string, number>) => {
  for (const [name, field] of Object.entries(value)) {
    if (typeof field === 'number') {
      into[`${prefix}${name}`] = field;
    } else if (isObject(field)) {
      flatten(field, `${prefix}${name}.`, into);
    }
  }
};

/** A group's fields: the parsed object itself when all are numbers (most), else a flat copy. */
const fieldsOf = (group: Record<string, unknown>): MetricFields => {
  for (const name in group) {
    if (typeof group[name] !== 'number') {
      const fields: Record<string, number> = {};
      flatten(group, '', fields);
      return fields;
    }
  }
  return group as MetricFields;
};

/** A parsed metrics object as a record; the caller checked it is an object. */
const toRecord = (object: Record<string, unknown>): MetricsRecord => {
  const groups: Record<string, MetricFields> = {};
  const other: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'utc_timestamp_ms') {
      continue;
    }
    // `properties` (newer versions) is an object of strings, not a group of numbers.
    if (isObject(value) && key !== 'properties') {
      groups[key] = fieldsOf(value);
    } else {
      other[key] = value;
    }
  }
  const timestamp = object['utc_timestamp_ms'];
  return {
    type: 'record',
    timestampMs: typeof timestamp === 'number' ? timestamp : undefined,
    groups,
    totals: undefined,
    other,
  };
};

const parseObject = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
};

/**
 * One line of a metrics file (without its newline) as entries: a record, or a malformed line,
 * or both when a torn line ran into a whole one. `ended` is false for a last line that never got
 * its newline (its writer died mid-line).
 */
export const parseMetricsLine = (line: string, ended = true): MetricsEntry[] => {
  // Whole lines (nearly all) parse as they are; only a failure looks closer.
  const object = ended ? parseObject(line) : undefined;
  if (object !== undefined) {
    return [toRecord(object)];
  }
  const text = line.trim();
  if (text === '') {
    return [];
  }
  const restart = text.lastIndexOf(LINE_START);
  if (restart > 0) {
    return [
      malformed('torn', text.slice(0, restart)),
      ...parseMetricsLine(text.slice(restart), ended),
    ];
  }
  return [malformed(!ended || text.startsWith(LINE_START) ? 'torn' : 'invalid', text)];
};
