// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerialLines } from './serial-lines.js';
import { openSerialFile } from './serial-source.js';

const wait = { caller: 'vm.waitForSerialLine()', timeoutMs: 5_000 };

let folder: string;
let fifo: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kindling-serial-'));
  fifo = join(folder, 'serial.out');
  execFileSync('mkfifo', ['-m', '600', fifo]);
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

// Opened the way Firecracker opens it: read-write and non-blocking, so the open never blocks.
const openAsFirecracker = (): number => openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);

describe('openSerialFile on a FIFO', () => {
  it('ends once the exit is seen when Firecracker closed the FIFO before the reader opened', async () => {
    closeSync(openAsFirecracker());
    let seeExit!: () => void;
    const exitSeen = new Promise<void>((resolve) => {
      seeExit = resolve;
    });
    const lines = new SerialLines(await openSerialFile(fifo, exitSeen), 'the serial output');
    const waiting = lines.wait('ready', wait);
    seeExit();
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_SERIAL_ENDED' });
  });

  it('reads what Firecracker wrote before its exit was seen, then ends', async () => {
    const writer = openAsFirecracker();
    let seeExit!: () => void;
    const exitSeen = new Promise<void>((resolve) => {
      seeExit = resolve;
    });
    const lines = new SerialLines(await openSerialFile(fifo, exitSeen), 'the serial output');
    writeSync(writer, 'reboot: Restarting system\n');
    closeSync(writer);
    seeExit();
    expect(await lines.wait('Restarting', wait)).toBe('reboot: Restarting system');
    await expect(lines.wait('never', wait)).rejects.toMatchObject({ code: 'ERR_SERIAL_ENDED' });
  });
});
