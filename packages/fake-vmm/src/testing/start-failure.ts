// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { ProcessExit } from '@kindling/spawner';
import { FakeVmmError } from '../firecracker/errors.js';

const TAIL_CHARS = 2000;
const READ_MS = 500;

// The end of a dead process's stderr; bounded in time, as a detached child may hold the pipe.
const stderrTail = async (stream: Readable | null): Promise<string> => {
  if (stream === null) {
    return '';
  }
  const timeout = new Promise<string>((resolve) => {
    setTimeout(resolve, READ_MS, '').unref();
  });
  const all = await Promise.race([text(stream), timeout]);
  return all.slice(-TAIL_CHARS).trim();
};

/** `ERR_FAKE_START_FAILED` for a process that ended early, with how and the end of its stderr. */
export const startFailure = async (
  what: string,
  exit: ProcessExit,
  stderr: Readable | null,
): Promise<FakeVmmError> => {
  const how =
    exit.signal === null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
  const tail = await stderrTail(stderr);
  return new FakeVmmError(
    'ERR_FAKE_START_FAILED',
    `The fake ${what} ${how} before its API socket accepted connections${tail === '' ? '' : `; its stderr ends with:\n${tail}`}`,
  );
};
