// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { systemErrorCode } from '../rust/io-error.js';

/**
 * A log, metrics or serial output file opened the way Firecracker opens them:
 * `O_RDWR | O_NONBLOCK | O_CREAT`, no truncation, no append. Opening a FIFO this way never blocks
 * (the process holds a read end itself); writes into a full FIFO fail with EAGAIN and are lost.
 */
export class OutputFile {
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_CREAT, 0o666);
  }

  /** Writes the whole buffer; false when the write would block (a full FIFO) and was dropped. */
  write(bytes: Buffer): boolean {
    const fd = this.fd;
    if (fd === undefined) {
      return false;
    }
    let offset = 0;
    try {
      while (offset < bytes.length) {
        offset += writeSync(fd, bytes, offset);
      }
      return true;
    } catch (error) {
      if (systemErrorCode(error) === 'EAGAIN') {
        return false;
      }
      throw error;
    }
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
