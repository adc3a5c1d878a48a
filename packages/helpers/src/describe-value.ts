// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Values can be MMDS payloads, arguments or secrets: show only a short, single-line glimpse.
const MAX_VALUE_TEXT = 60;

/** Describes a value for an error message: JSON when possible, cut to a short glimpse. */
export const describeValue = (value: unknown): string => {
  if (value === undefined) {
    return 'nothing';
  }
  if (typeof value === 'function' || typeof value === 'symbol') {
    return `a ${typeof value}`;
  }
  if (typeof value === 'bigint') {
    return `${value.toString()}n`;
  }
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    // A cycle: name the kind of object instead.
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT)}…` : text;
};
