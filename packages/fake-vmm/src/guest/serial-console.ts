// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Writable } from 'node:stream';
import type { OutputFile } from '../firecracker/output-file.js';

/**
 * The guest's 8250 UART as the host sees it: Firecracker's stdout, or `serial_out_path` once
 * `PUT /serial` set one. `onBytes` counts what the guest wrote (uart metrics).
 */
export class SerialConsole {
  private file: OutputFile | undefined;
  private readonly stdout: Writable;
  private readonly onBytes: (count: number) => void;

  constructor(stdout: Writable, onBytes: (count: number) => void) {
    this.stdout = stdout;
    this.onBytes = onBytes;
  }

  /** Sends the guest's output to a file or FIFO instead of stdout. */
  redirect(file: OutputFile): void {
    this.file?.close();
    this.file = file;
  }

  writeLine(line: string): void {
    const bytes = Buffer.from(`${line}\n`);
    this.onBytes(bytes.length);
    if (this.file === undefined) {
      this.stdout.write(bytes);
    } else {
      this.file.write(bytes);
    }
  }

  close(): void {
    this.file?.close();
    this.file = undefined;
  }
}
