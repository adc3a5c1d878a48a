// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SerialLines } from './serial-lines.js';

const caller = 'vm.waitForSerialLine()';
const wait = { caller, timeoutMs: 5_000 };

const linesOf = () => {
  const source = new PassThrough();
  return { source, lines: new SerialLines(source, 'the serial output') };
};

describe('SerialLines', () => {
  it('finds a line printed before the wait, without its line end', async () => {
    const { source, lines } = linesOf();
    source.write('booting\r\nkindling-fake-guest: ready\r\n');
    // Once the first line is seen, the second one, from the same chunk, is already kept.
    expect(await lines.wait('boot', wait)).toBe('booting');
    expect(await lines.wait('ready', wait)).toBe('kindling-fake-guest: ready');
    await lines.close();
  });

  it('waits for a line that comes later, across chunks, with a RegExp', async () => {
    const { source, lines } = linesOf();
    const found = lines.wait(/^login: (\w+)$/gu, wait);
    source.write('log');
    source.write('in: root\nother\n');
    expect(await found).toBe('login: root');
    // A global RegExp keeps no position between lines or waits.
    expect(await lines.wait(/^login: (\w+)$/gu, wait)).toBe('login: root');
    await lines.close();
  });

  it('fails with ERR_SERIAL_ENDED when the output ends first, and for waits after', async () => {
    const { source, lines } = linesOf();
    const pending = lines.wait('never', wait);
    source.end('last line without end');
    await expect(pending).rejects.toMatchObject({
      code: 'ERR_SERIAL_ENDED',
      message:
        'vm.waitForSerialLine(): the serial output ended before a line containing "never": the guest never printed it (did Firecracker exit?)',
    });
    expect(await lines.wait('without end', wait)).toBe('last line without end');
    await expect(lines.wait(/x{3}/u, wait)).rejects.toMatchObject({
      code: 'ERR_SERIAL_ENDED',
      message: expect.stringContaining('before a line matching /x{3}/u'),
    });
  });

  it('fails with ERR_WAIT_TIMEOUT, and rejects with an abort’s reason', async () => {
    const { lines } = linesOf();
    await expect(lines.wait('never', { caller, timeoutMs: 50 })).rejects.toMatchObject({
      code: 'ERR_WAIT_TIMEOUT',
      message:
        'vm.waitForSerialLine(): no line containing "never" on the serial output within 50 ms',
    });
    const controller = new AbortController();
    const pending = lines.wait('never', { ...wait, signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    await expect(lines.wait('never', { ...wait, signal: controller.signal })).rejects.toThrow(
      'stop',
    );
    await lines.close();
  });

  it('keeps a bounded tail: the oldest lines go first', async () => {
    const { source, lines } = linesOf();
    source.write('first\n');
    for (let index = 0; index < 40; index += 1) {
      source.write(`${'x'.repeat(8 * 1024)}\n`);
    }
    source.write('last\n');
    source.end();
    await expect(lines.wait('last', wait)).resolves.toBe('last');
    await expect(lines.wait('first', wait)).rejects.toMatchObject({ code: 'ERR_SERIAL_ENDED' });
  });

  it('fails pending waits when closed', async () => {
    const { lines } = linesOf();
    const pending = lines.wait('never', wait);
    await lines.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_SERIAL_ENDED' });
  });
});
