// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { closeSync, constants, openSync } from 'node:fs';
import net from 'node:net';
import type { ReadingStop } from './reading-stop.js';

/**
 * The bytes of a FIFO as Firecracker writes them, read by the event loop (a libuv pipe on a
 * non-blocking descriptor: no thread, no blocking read). Firecracker opens its end with
 * `O_NONBLOCK` and drops a line the pipe has no room for, so reading promptly matters more than
 * anything else here.
 *
 * A FIFO with no writer reads as its end at once, so a write end of our own is held open until
 * the writer is known to be there (the first bytes came) or ended: from then on the FIFO's end is
 * the writer's end (the VM's process exited), and that ends reading after the last line.
 */
export async function* readFifo(
  readFd: number,
  path: string,
  stop: ReadingStop,
): AsyncGenerator<Buffer> {
  // Opening the write end cannot block: a reader (readFd) exists.
  let writeFd: number | undefined = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  const releaseWriteEnd = () => {
    if (writeFd !== undefined) {
      closeSync(writeFd);
      writeFd = undefined;
    }
  };
  const socket = new net.Socket({ fd: readFd, readable: true, writable: false });
  stop.onStop(() => {
    releaseWriteEnd();
    if (stop.aborted) {
      socket.destroy();
    }
  });
  try {
    for await (const chunk of socket) {
      releaseWriteEnd();
      yield chunk as Buffer;
    }
  } catch (error) {
    // A destroy on abort is the end asked for, not a failure.
    if (!stop.aborted) {
      throw error;
    }
  } finally {
    releaseWriteEnd();
    socket.destroy();
  }
}
