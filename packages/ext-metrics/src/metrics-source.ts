// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { close, constants, fstat, open } from 'node:fs';
import { promisify } from 'node:util';
import { MetricsError } from './errors.js';
import { followFile } from './follow-file.js';
import { readFifo } from './read-fifo.js';
import type { ReadingStop } from './reading-stop.js';

const openFd = promisify(open);
const fstatFd = promisify(fstat);
const closeFd = promisify(close);

/**
 * Opens the metrics path as a plain descriptor, not a FileHandle: a FIFO's is handed to a socket,
 * which then owns it.
 */
export const openMetricsSource = async (path: string): Promise<{ fd: number; fifo: boolean }> => {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO without a writer must not wait (nor block a thread).
    fd = await openFd(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new MetricsError(
      'ERR_METRICS_SOURCE',
      `Cannot open the metrics path ${path}: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  const stats = await fstatFd(fd);
  if (!stats.isFile() && !stats.isFIFO()) {
    await closeFd(fd);
    throw new MetricsError(
      'ERR_METRICS_SOURCE',
      `The metrics path ${path} is neither a regular file nor a FIFO; give Firecracker's metrics_path`,
    );
  }
  return { fd, fifo: stats.isFIFO() };
};

/** The bytes of the opened metrics path until reading stops; closes the descriptor. */
export async function* metricsChunks(
  path: string,
  fd: number,
  fifo: boolean,
  stop: ReadingStop,
  poll: number,
) {
  try {
    if (fifo) {
      // The socket takes over the descriptor (and closes it).
      yield* readFifo(fd, path, stop);
    } else {
      try {
        yield* followFile(fd, stop, poll);
      } finally {
        await closeFd(fd);
      }
    }
  } finally {
    stop.release();
  }
}
