// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { getEventListeners } from 'node:events';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { catchError, createTempFolder, type TempFolder } from '@kindling/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEntry, fieldOf, recordOf } from '../test/support/entries.js';
import { nextWithin, takeWithin } from '../test/support/iterate.js';
import { metricsLine } from '../test/support/metrics-line.js';
import { readMetrics } from './read-metrics.js';

let folder: TempFolder;
let file: string;
beforeEach(async () => {
  folder = await createTempFolder('kindling-metrics-');
  file = path.join(folder.path, 'metrics.json');
});
afterEach(async () => {
  await folder[Symbol.asyncDispose]();
});

describe('readMetrics on a regular file', () => {
  it('reads what is there, follows the file as it grows and ends after the writer ended', async () => {
    await writeFile(file, metricsLine(1) + metricsLine(2));
    const { promise: ended, resolve: end } = Promise.withResolvers<void>();
    const entries = (await readMetrics(file, { until: ended, pollIntervalMs: 5 }))[
      Symbol.asyncIterator
    ]();
    const first = await takeWithin(entries, 2);
    expect(first.map((entry) => fieldOf(entry, 'block', 'read_count'))).toEqual([1, 2]);
    // A flush while reading, then the last one, written just before the process ends.
    await appendFile(file, metricsLine(3));
    expect(await nextWithin(entries)).toMatchObject({ value: { timestampMs: 1_700_000_000_003 } });
    await appendFile(file, metricsLine(4));
    end();
    expect(await nextWithin(entries)).toMatchObject({ value: { timestampMs: 1_700_000_000_004 } });
    expect(await nextWithin(entries)).toEqual({ done: true, value: undefined });
  });

  it('reports a last line its writer never ended as torn, after the whole ones', async () => {
    const torn = metricsLine(2).slice(0, 80);
    await writeFile(file, metricsLine(1) + torn);
    const entries: unknown[] = [];
    for await (const entry of await readMetrics(file, { until: Promise.resolve() })) {
      entries.push(entry);
    }
    expect(entries).toEqual([
      expect.objectContaining({ type: 'record', timestampMs: 1_700_000_000_001 }),
      { type: 'malformed', reason: 'torn', text: torn },
    ]);
  });

  it('goes on after a garbled line and a line that two flushes ran into', async () => {
    await writeFile(
      file,
      `garbage\n${metricsLine(1).slice(0, 30)}${metricsLine(2)}${metricsLine(3)}`,
    );
    const types: string[] = [];
    for await (const entry of await readMetrics(file, { until: Promise.resolve() })) {
      types.push(describeEntry(entry));
    }
    expect(types).toEqual(['invalid 7', 'torn 30', 'record 1700000000002', 'record 1700000000003']);
  });

  it('adds running totals when asked: deltas summed, values as written', async () => {
    await writeFile(file, metricsLine(1) + metricsLine(2) + metricsLine(3));
    const totals: unknown[] = [];
    for await (const entry of await readMetrics(file, {
      until: Promise.resolve(),
      cumulative: true,
    })) {
      totals.push(recordOf(entry).totals);
    }
    expect(totals.at(-1)).toMatchObject({
      block_rootfs: { read_count: 6, read_bytes: 3072 },
      api_server: { process_startup_time_us: 900 },
      latencies_us: { pause_vm: 3 },
      signals: { sigpipe: 6, sigsegv: 0 },
    });
  });

  it('stops on abort without an error, though the writer goes on', async () => {
    await writeFile(file, metricsLine(1));
    const controller = new AbortController();
    const entries = (await readMetrics(file, { signal: controller.signal }))[
      Symbol.asyncIterator
    ]();
    await takeWithin(entries, 1);
    const waiting = nextWithin(entries);
    controller.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
  });

  it('lets go of a long-lived signal once reading is over', async () => {
    await writeFile(file, metricsLine(1));
    const signal = new AbortController().signal;
    for (let run = 0; run < 3; run += 1) {
      const entries = await readMetrics(file, { signal, until: Promise.resolve() });
      expect(getEventListeners(signal, 'abort')).toHaveLength(1);
      for await (const entry of entries) {
        expect(entry.type).toBe('record');
      }
    }
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('starts over when the file is rewritten from its start with less', async () => {
    await writeFile(file, metricsLine(1) + metricsLine(2));
    const { promise: ended, resolve: end } = Promise.withResolvers<void>();
    const entries = (await readMetrics(file, { until: ended, pollIntervalMs: 5 }))[
      Symbol.asyncIterator
    ]();
    await takeWithin(entries, 2);
    await writeFile(file, metricsLine(7));
    expect(await nextWithin(entries)).toMatchObject({ value: { timestampMs: 1_700_000_000_007 } });
    end();
    expect(await nextWithin(entries)).toEqual({ done: true, value: undefined });
  });
});

describe('readMetrics refuses', () => {
  it('a missing path with ERR_METRICS_SOURCE, naming it', async () => {
    const error = await catchError(readMetrics(path.join(folder.path, 'missing')));
    expect(error).toMatchObject({ name: 'MetricsError', code: 'ERR_METRICS_SOURCE' });
    expect(String(error)).toContain(path.join(folder.path, 'missing'));
  });

  it('a folder with ERR_METRICS_SOURCE', async () => {
    await mkdir(path.join(folder.path, 'dir'));
    expect(await catchError(readMetrics(path.join(folder.path, 'dir')))).toMatchObject({
      code: 'ERR_METRICS_SOURCE',
    });
  });

  it('bad options with ERR_INVALID_INPUT naming the field', async () => {
    expect(await catchError(readMetrics(''))).toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: 'readMetrics path: must be the metrics file or FIFO\'s path, got ""',
    });
    expect(await catchError(readMetrics(file, { pollIntervalMs: 0 }))).toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(/^readMetrics options\.pollIntervalMs: must be an integer/u),
    });
  });
});
