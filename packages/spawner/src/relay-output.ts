// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { PassThrough, type Readable } from 'node:stream';

/**
 * A child's output stream relayed through a stream read at once. Node drops the output nobody has
 * read once the process has exited (and execa, without buffering, resumes an unread stream by the
 * next turn of the event loop): the relay keeps it, with the pipe's back-pressure, for a caller
 * that starts reading later, e.g. after an await.
 */
export const relayOutput = (source: Readable | null): Readable | null => {
  if (source === null) {
    return null;
  }
  const relay = new PassThrough();
  source.once('error', (error) => {
    relay.destroy(error);
  });
  source.pipe(relay);
  return relay;
};
