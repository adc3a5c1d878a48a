// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { StreamTap } from './stream-tap.js';

describe('StreamTap', () => {
  it('replays what came before take() and forwards the rest until the end', async () => {
    const source = new PassThrough();
    const tap = new StreamTap(source);
    source.write('early ');
    await tick();
    const taken = tap.take();
    expect(taken).toBeDefined();
    source.end('late');
    expect(await text(taken as Readable)).toBe('early late');
  });

  it('finds text already seen, text split across chunks, and gives up at the end or an abort', async () => {
    const source = new PassThrough();
    const tap = new StreamTap(source);
    const never = new AbortController().signal;
    source.write('Running Firecracker\n');
    await tick();
    await expect(tap.waitForText('Running', never)).resolves.toBe(true);
    const built = tap.waitForText('Successfully started microvm', never);
    source.write('Successfully sta');
    await tick();
    source.write('rted microvm that was configured\n');
    await expect(built).resolves.toBe(true);
    const stopped = new AbortController();
    const aborted = tap.waitForText('never written', stopped.signal);
    stopped.abort();
    await expect(aborted).resolves.toBe(false);
    const ended = tap.waitForText('never written', never);
    source.end('bye\n');
    await expect(ended).resolves.toBe(false);
    await expect(tap.waitForText('never written', never)).resolves.toBe(false);
  });

  it('hands the stream over only once', () => {
    const tap = new StreamTap(new PassThrough());
    expect(tap.take()).toBeDefined();
    expect(tap.taken).toBe(true);
    expect(tap.take()).toBeUndefined();
  });

  it('gives an ended stream to a late taker', async () => {
    const source = new PassThrough();
    const tap = new StreamTap(source);
    source.end('all of it\n');
    await tap.closed;
    expect(await text(tap.take() as Readable)).toBe('all of it\n');
  });

  it('keeps the last lines, across chunks and multi-byte characters, for tail()', async () => {
    const source = new PassThrough();
    const tap = new StreamTap(source);
    const euro = Buffer.from('€');
    source.write('one\ntwo\nthr');
    source.write(Buffer.concat([Buffer.from('ee '), euro.subarray(0, 1)]));
    source.write(Buffer.concat([euro.subarray(1), Buffer.from('\nfour\n')]));
    await tick();
    expect(tap.tail(2)).toBe('three €\nfour');
    expect(tap.tail()).toBe('one\ntwo\nthree €\nfour');
    source.write('partial');
    await tick();
    expect(tap.tail(1)).toBe('partial');
  });

  it('drains an untaken pipe so the writer never blocks, keeping only the newest bytes', async () => {
    const source = new PassThrough({ highWaterMark: 16 });
    const tap = new StreamTap(source, { replayBytes: 8 });
    for (let index = 0; index < 100; index += 1) {
      expect(source.write(`${index % 10}`.repeat(4))).toBe(true);
      await tick();
    }
    source.end();
    expect(await text(tap.take() as Readable)).toBe('88889999');
  });

  it('applies backpressure once taken, and drains again when the taker lets go', async () => {
    const source = new PassThrough({ highWaterMark: 4 });
    const tap = new StreamTap(source);
    const taken = tap.take() as Readable;
    source.write(Buffer.alloc(64 * 1024));
    await tick();
    expect(source.isPaused()).toBe(true);
    taken.destroy();
    await once(taken, 'close');
    expect(source.isPaused()).toBe(false);
  });

  it('passes a pipe error on to the taker', async () => {
    const source = new PassThrough();
    const tap = new StreamTap(source);
    const failure = new Error('EPIPE');
    source.destroy(failure);
    await tap.closed;
    const taken = tap.take() as Readable;
    const [error] = (await once(taken, 'error')) as [Error];
    expect(error).toBe(failure);
  });
});
