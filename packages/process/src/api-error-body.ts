// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ApiErrorSource } from './errors.js';

/** Firecracker's message from an error body, and which layer wrote it. */
export interface ParsedApiErrorBody {
  readonly message: string;
  readonly source: ApiErrorSource;
}

// micro_http writes `{ "error": "<msg>\nAll previous …" }` by string formatting: the newline is a
// raw byte and `<msg>` is not escaped, so the body is not JSON. Match the envelope instead.
const ENVELOPE = /^\s*\{\s*"(error|fault_message)"\s*:\s*"([\s\S]*)"\s*\}\s*$/u;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: the HTTP layer's bodies are expected to land here, and are matched below.
    return undefined;
  }
};

/**
 * Reads the message out of an error body: Firecracker's `{"fault_message": …}`, the HTTP layer's
 * `{"error": …}` (valid JSON or not), or any other text, kept whole.
 */
export const parseApiErrorBody = (text: string): ParsedApiErrorBody => {
  const json = parseJson(text);
  if (isRecord(json)) {
    if (typeof json['fault_message'] === 'string') {
      return { message: json['fault_message'], source: 'fault_message' };
    }
    if (typeof json['error'] === 'string') {
      return { message: json['error'], source: 'error' };
    }
  }
  const envelope = ENVELOPE.exec(text);
  if (envelope?.[1] !== undefined && envelope[2] !== undefined) {
    return { message: envelope[2], source: envelope[1] === 'error' ? 'error' : 'fault_message' };
  }
  const trimmed = text.trim();
  return { message: trimmed === '' ? '(empty body)' : trimmed, source: 'unrecognised' };
};
