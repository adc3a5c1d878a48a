// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { fstat, read } from 'node:fs';
import { promisify } from 'node:util';
import type { ReadingStop } from './reading-stop.js';

const readFd = promisify(read);
const fstatFd = promisify(fstat);

const CHUNK_BYTES = 64 * 1024;

/**
 * The bytes of a regular file as it grows, from offset 0: reads to the end, then looks again
 * every `pollIntervalMs` (metrics come once a minute or on demand, so a short poll costs little
 * and needs no file watcher). Ends on abort, or once the writer ended and the rest is read. A file
 * that shrank was rewritten from the start (Firecracker opens it without truncating), so reading
 * starts over.
 */
export async function* followFile(
  fd: number,
  stop: ReadingStop,
  pollIntervalMs: number,
): AsyncGenerator<Buffer> {
  let position = 0;
  while (!stop.aborted) {
    // Read after seeing the end, so the last flush (written before exit) is not missed.
    const endedBefore = stop.ended;
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const { bytesRead } = await readFd(fd, buffer, 0, CHUNK_BYTES, position);
    if (bytesRead > 0) {
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
      continue;
    }
    if (endedBefore) {
      return;
    }
    if ((await fstatFd(fd)).size < position) {
      position = 0;
      continue;
    }
    await stop.pause(pollIntervalMs);
  }
}
