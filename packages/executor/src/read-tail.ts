// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';

const MAX_TAIL_CHARS = 4_096;

/**
 * Reads a stream until it ends, keeping its last 4 KiB of text, or stops early (with what it has)
 * when the signal aborts: a process that inherited the stream may hold it open indefinitely.
 */
export const readTail = (stream: Readable | null, signal: AbortSignal): Promise<string> => {
  if (stream === null) {
    return Promise.resolve('');
  }
  return new Promise((resolve) => {
    let tail = '';
    const onData = (chunk: Buffer | string) => {
      tail = (tail + chunk.toString()).slice(-MAX_TAIL_CHARS);
    };
    const finish = () => {
      stream.off('data', onData);
      stream.off('end', finish);
      stream.off('close', finish);
      stream.off('error', finish);
      signal.removeEventListener('abort', finish);
      resolve(tail.trim());
    };
    stream.on('data', onData);
    stream.once('end', finish);
    stream.once('close', finish);
    // A read error only shortens the diagnostic text: the failure reported is the exit itself.
    stream.once('error', finish);
    if (signal.aborted) {
      finish();
    } else {
      signal.addEventListener('abort', finish, { once: true });
    }
  });
};
