// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `FakeVmmError`. Codes are written once and never renamed; each is listed with its
 * meaning in the package README.
 */
export type FakeVmmErrorCode =
  // A `KINDLING_FAKE_*` switch has a value the fakes cannot parse.
  | 'ERR_FAKE_ENV'
  // A request journal cannot be read or holds a line that is not a journal record.
  | 'ERR_JOURNAL_READ'
  // A snapshot state file cannot be read, or is not one the fake wrote.
  | 'ERR_STATE_FILE_READ'
  // A snapshot state file cannot be written.
  | 'ERR_STATE_FILE_WRITE'
  // The package's executables (`dist/bin/*.js`) are missing: build it first.
  | 'ERR_FAKE_NOT_BUILT'
  // An option given to the test API is invalid; the message names it.
  | 'ERR_FAKE_INVALID_OPTIONS'
  // A fake could not be started, or exited before its API socket accepted connections.
  | 'ERR_FAKE_START_FAILED'
  // The API socket did not accept connections in time.
  | 'ERR_FAKE_SOCKET_TIMEOUT'
  // A fake did not exit after SIGKILL.
  | 'ERR_FAKE_STOP_FAILED';

/** The error the fake VMM's importable helpers throw; `code` says which rule or step failed. */
export class FakeVmmError extends KindlingError<FakeVmmErrorCode> {
  static {
    this.prototype.name = 'FakeVmmError';
  }
}
