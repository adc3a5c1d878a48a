// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTempFolder, TEST_WAIT_MS, type TempFolder } from '@kindling/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMetrics } from '../src/index.js';
import { describeEntry } from './support/entries.js';
import { nextWithin, takeWithin } from './support/iterate.js';
import { metricsLine } from './support/metrics-line.js';

const execFileAsync = promisify(execFile);
const TORN_WRITER = fileURLToPath(new URL('support/torn-writer.ts', import.meta.url));

let folder: TempFolder;
let fifo: string;
beforeEach(async () => {
  folder = await createTempFolder('kindling-metrics-fifo-');
  fifo = path.join(folder.path, 'metrics.fifo');
  await execFileAsync('mkfifo', [fifo]);
});
afterEach(async () => {
  await folder[Symbol.asyncDispose]();
});

/** Opens the FIFO's write end as Firecracker does (never blocks: it holds a read end itself). */
const openLikeFirecracker = (target: string): number =>
  openSync(target, constants.O_RDWR | constants.O_NONBLOCK);

/** Runs the torn writer until it has written, and returns it. */
const startTornWriter = async (target: string, lines: number, tornBytes: number) => {
  const child = spawn(process.execPath, [TORN_WRITER, target, String(lines), String(tornBytes)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: TEST_WAIT_MS,
  });
  // The writer's word, or its early end (failing the test at once, not at its timeout).
  const [data] = (await Promise.race([
    once(child.stdout, 'data'),
    once(child, 'exit').then(([code]) => [`exited with ${String(code)}`]),
  ])) as [Buffer | string];
  expect(data.toString()).toBe('written\n');
  return child;
};

describe('readMetrics on a FIFO', () => {
  it('waits for a writer that is not there yet, reads its lines, and ends when it is gone', async () => {
    const entries = (await readMetrics(fifo))[Symbol.asyncIterator]();
    // Nothing is there, and no writer: reading waits instead of ending at once.
    const first = nextWithin(entries);
    const writer = openLikeFirecracker(fifo);
    writeSync(writer, metricsLine(1));
    expect(describeEntry((await first).value)).toBe('record 1700000000001');
    writeSync(writer, metricsLine(2) + metricsLine(3));
    expect((await takeWithin(entries, 2)).map(describeEntry)).toEqual([
      'record 1700000000002',
      'record 1700000000003',
    ]);
    writeSync(writer, metricsLine(4));
    closeSync(writer);
    expect(describeEntry((await nextWithin(entries)).value)).toBe('record 1700000000004');
    expect(await nextWithin(entries)).toEqual({ done: true, value: undefined });
  });

  it('reports the line of a writer killed mid-line as torn, after its whole lines, then ends', async () => {
    const reading = readMetrics(fifo);
    const child = await startTornWriter(fifo, 2, 50);
    const entries = (await reading)[Symbol.asyncIterator]();
    expect((await takeWithin(entries, 2)).map(describeEntry)).toEqual([
      'record 1700000000001',
      'record 1700000000002',
    ]);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(describeEntry((await nextWithin(entries)).value)).toBe('torn 50');
    expect(await nextWithin(entries)).toEqual({ done: true, value: undefined });
  });

  it('stops on abort while the writer lives, and leaves the writer able to write', async () => {
    const controller = new AbortController();
    const entries = (await readMetrics(fifo, { signal: controller.signal }))[
      Symbol.asyncIterator
    ]();
    const writer = openLikeFirecracker(fifo);
    try {
      writeSync(writer, metricsLine(1));
      await takeWithin(entries, 1);
      const waiting = nextWithin(entries);
      controller.abort();
      expect(await waiting).toEqual({ done: true, value: undefined });
      // Firecracker's end is O_RDWR: with no reader left its write still does not block or fail.
      expect(writeSync(writer, metricsLine(2))).toBeGreaterThan(0);
    } finally {
      closeSync(writer);
    }
  });

  it('ends after the last line once `until` settles, even with a writer that never wrote', async () => {
    const { promise: ended, resolve: end } = Promise.withResolvers<void>();
    const entries = (await readMetrics(fifo, { until: ended }))[Symbol.asyncIterator]();
    const waiting = nextWithin(entries);
    end();
    expect(await waiting).toEqual({ done: true, value: undefined });
  });
});

describe('readMetrics on a file whose writer is killed mid-line', () => {
  it('reads the whole lines and reports the last one torn once the writer ended', async () => {
    const file = path.join(folder.path, 'metrics.json');
    const child = await startTornWriter(file, 3, 70);
    const exited = once(child, 'exit');
    const entries: string[] = [];
    const reading = (async () => {
      for await (const entry of await readMetrics(file, { until: exited, pollIntervalMs: 10 })) {
        entries.push(describeEntry(entry));
      }
    })();
    child.kill('SIGKILL');
    await reading;
    expect(entries).toEqual([
      'record 1700000000001',
      'record 1700000000002',
      'record 1700000000003',
      'torn 70',
    ]);
  });
});
