// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { close as closeFd, constants, open as openFd, read as readFd, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';

const CHUNK_BYTES = 64 * 1024;

// Raw fds, not FileHandles: a stream's destroy callback closes them without a promise.
const openFdAsync = promisify(openFd);
const readFdAsync = promisify(
  (
    fd: number,
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: NodeJS.ErrnoException | null, bytesRead: number) => void,
  ) => readFd(fd, buffer, offset, length, position, callback),
);

// A writer that joins and leaves at once: the socket reading the FIFO then sees end-of-file.
const passWriterThrough = (fifoPath: string, socket: Socket): void => {
  if (socket.destroyed) {
    return;
  }
  openFd(fifoPath, constants.O_WRONLY | constants.O_NONBLOCK, (error, writeFd) => {
    if (error !== null) {
      // ENXIO: no reader is left, the socket closed meanwhile; nothing is waiting for its end.
      if (error.code !== 'ENXIO') {
        socket.destroy(error);
      }
      return;
    }
    closeFd(writeFd, (closeError) => {
      if (closeError !== null) {
        socket.destroy(closeError);
      }
    });
  });
};

/**
 * Reads a FIFO without blocking a thread of libuv's pool: a non-blocking fd in a `net.Socket`.
 * Firecracker holds its end open read-write, so the stream ends only when Firecracker exits.
 *
 * Linux tells a FIFO's reader of end-of-file only if a writer joined after the reader opened:
 * a reader that opens just after Firecracker closed its end (the exit racing `waitForSerialLine`)
 * would wait forever. So once `ended` settles (the exit was seen), a writer joins and leaves
 * again: the reader then gets end-of-file after whatever is still in the pipe.
 */
const readFifo = async (fifoPath: string, ended: Promise<void>): Promise<Readable> => {
  // The socket owns the fd from here and closes it.
  const fd = await openFdAsync(fifoPath, constants.O_RDONLY | constants.O_NONBLOCK);
  const socket = new Socket({ fd, readable: true, writable: false });
  void ended.then(() => passWriterThrough(fifoPath, socket));
  return socket;
};

/**
 * Follows a regular file as it grows: what it holds, then each change `fs.watch` reports, then
 * the rest once `ended` settles (the writer is gone), after which the stream ends.
 */
const followFile = (filePath: string, ended: Promise<void>): Readable => {
  let fd: number | undefined;
  let position = 0;
  // Reads run one after another, so chunks keep their order and nothing follows the end.
  let reads: Promise<void> = Promise.resolve();
  const watcher = watch(filePath, { persistent: false });
  const stream = new Readable({
    // Data is pushed as the file grows, whether or not it was asked for.
    read() {},
    destroy: (error, callback) => {
      watcher.close();
      if (fd === undefined) {
        callback(error);
      } else {
        closeFd(fd, (closeError) => callback(error ?? closeError));
      }
    },
  });
  const readAvailable = async (): Promise<void> => {
    fd ??= await openFdAsync(filePath, 'r');
    for (;;) {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      const bytesRead = await readFdAsync(fd, buffer, 0, CHUNK_BYTES, position);
      if (bytesRead === 0 || stream.destroyed) {
        return;
      }
      position += bytesRead;
      stream.push(buffer.subarray(0, bytesRead));
    }
  };
  const fail = (error: unknown): void => {
    stream.destroy(error instanceof Error ? error : new Error(String(error)));
  };
  const readMore = (): Promise<void> => {
    reads = reads.then(readAvailable).catch(fail);
    return reads;
  };
  watcher.on('change', () => {
    void readMore();
  });
  watcher.on('error', fail);
  void readMore();
  void ended.then(readMore).then(() => stream.push(null));
  return stream;
};

/**
 * Opens the serial output file for reading: a FIFO as a non-blocking stream, a regular file
 * followed as it grows; either ends once `ended` settles (Firecracker's exit was seen) and what
 * was written before is read.
 */
export const openSerialFile = async (filePath: string, ended: Promise<void>): Promise<Readable> =>
  (await stat(filePath)).isFIFO() ? readFifo(filePath, ended) : followFile(filePath, ended);
