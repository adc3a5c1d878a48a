// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import { FakeVmmError } from '../firecracker/errors.js';

/** What a response fault did to a request (see `KINDLING_FAKE_RESPONSE_FAULTS`). */
export type JournalFault = 'delay' | 'stall' | 'drop';

/**
 * One request the fake Firecracker received on its API socket: one line of the NDJSON journal
 * written to `KINDLING_FAKE_JOURNAL`, in the order the requests were handled.
 */
export interface JournalRecord {
  /** 1-based position in the order of arrival. */
  readonly seq: number;
  /** The method as sent (`GET`, `PUT`, …); may be anything when the request line was malformed. */
  readonly method: string;
  /** The request target exactly as sent (no decoding); as far as it went on a malformed request line. */
  readonly path: string;
  /** The request body as UTF-8 text, or null when there was none. */
  readonly body: string | null;
  /** The status sent, or null when none was (stalled, dropped, or the process exited first). */
  readonly status: number | null;
  /** The response body as sent, or null for none (204, stalled, dropped). */
  readonly responseBody: string | null;
  /** When the request was complete, in ms since the epoch (fractional). */
  readonly receivedAtMs: number;
  /** When the response was written, in ms since the epoch (fractional); null when it was not. */
  readonly respondedAtMs: number | null;
  /** The response fault applied, if any. */
  readonly fault: JournalFault | null;
}

export { openJournalWriter, type JournalWriter } from './journal-writer.js';

const isRecord = (value: unknown): value is JournalRecord => {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const record = value as Record<string, unknown>;
  const nullable = (key: string, type: 'string' | 'number'): boolean =>
    record[key] === null || typeof record[key] === type;
  return (
    typeof record.seq === 'number' &&
    typeof record.method === 'string' &&
    typeof record.path === 'string' &&
    nullable('body', 'string') &&
    nullable('status', 'number') &&
    nullable('responseBody', 'string') &&
    typeof record.receivedAtMs === 'number' &&
    nullable('respondedAtMs', 'number') &&
    (record.fault === null ||
      (typeof record.fault === 'string' && ['delay', 'stall', 'drop'].includes(record.fault)))
  );
};

/** Options of `readJournal`. */
export interface ReadJournalOptions {
  readonly signal?: AbortSignal;
}

/** Reads a request journal written by the fake Firecracker, one record per line, in order. */
export const readJournal = async (
  path: string,
  options: ReadJournalOptions = {},
): Promise<JournalRecord[]> => {
  let text: string;
  try {
    text = await readFile(path, {
      encoding: 'utf8',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    throw new FakeVmmError(
      'ERR_JOURNAL_READ',
      `Could not read the request journal ${path}: was KINDLING_FAKE_JOURNAL set to this path?`,
      { cause: error },
    );
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line, index) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new FakeVmmError(
          'ERR_JOURNAL_READ',
          `Line ${index + 1} of the request journal ${path} is not JSON.`,
          { cause: error },
        );
      }
      if (!isRecord(value)) {
        throw new FakeVmmError(
          'ERR_JOURNAL_READ',
          `Line ${index + 1} of the request journal ${path} is not a journal record.`,
        );
      }
      return value;
    });
};
