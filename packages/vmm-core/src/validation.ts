// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import { VmmCoreError } from './errors.js';

// Values can be MMDS payloads or secrets: show only a short, single-line glimpse of them.
const MAX_VALUE_TEXT = 60;

const describeValue = (value: unknown): string => {
  if (value === undefined) {
    return 'nothing';
  }
  if (typeof value === 'bigint') {
    return `${value.toString()}n`;
  }
  let text: string;
  try {
    // JSON.stringify gives undefined for functions and symbols: name their type instead.
    text = JSON.stringify(value) ?? `a ${typeof value}`;
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT)}…` : text;
};

const describePath = (subject: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    subject,
  );

/** One line per issue: `subject.path: rule, got value`. */
export const describeIssues = (subject: string, issues: readonly z.core.$ZodIssue[]): string =>
  issues
    .map(
      (issue) =>
        `${describePath(subject, issue.path)}: ${issue.message}, got ${describeValue(issue.input)}`,
    )
    .join('\n');

/**
 * Parses a value with a schema, or throws `VmmCoreError` `ERR_INVALID_INPUT` whose message names
 * every bad field (prefixed by `subject`, e.g. `machineConfig`), its value and the rule.
 */
export const parseWithSchema = <Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  subject: string,
): z.output<Schema> => {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) {
    return result.data;
  }
  throw new VmmCoreError('ERR_INVALID_INPUT', describeIssues(subject, result.error.issues), {
    cause: result.error,
  });
};
