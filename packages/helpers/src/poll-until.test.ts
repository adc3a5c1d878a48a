// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pollUntil } from './poll-until.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'kindling-poll-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const readIfThere = (file: string): Promise<string | null> =>
  readFile(file, 'utf8').catch(() => null);

// A probe that answers from a script, one answer per call.
const scriptedProbe = (answers: readonly (string | null)[]) => {
  const queue = [...answers];
  return () => Promise.resolve(queue.shift() ?? null);
};

describe('pollUntil', () => {
  it('backs off with a doubling delay up to the bound', async () => {
    // The delays asked of the timer, not the wall time between probes: a loaded CI host fires
    // timers late by any amount, so only the policy itself is checked here.
    const asked = vi.spyOn(globalThis, 'setTimeout');
    const value = await pollUntil(scriptedProbe([null, null, null, null, null, 'done']), {
      signal: new AbortController().signal,
      backOff: { minDelayMs: 4, maxDelayMs: 8 },
    });
    const delays = asked.mock.calls.map((call) => call[1]);
    asked.mockRestore();
    expect(value).toBe('done');
    // Unbounded doubling would ask for 4, 8, 16, 32, 64.
    expect(delays).toEqual([4, 8, 8, 8, 8]);
  });

  it('wakes early when the watched folder changes', async () => {
    const file = path.join(folder, 'pid');
    const begin = performance.now();
    let probes = 0;
    const polling = pollUntil(
      () => {
        probes += 1;
        return readIfThere(file);
      },
      {
        signal: new AbortController().signal,
        backOff: { minDelayMs: 10_000, maxDelayMs: 10_000 },
        watchFolder: folder,
      },
    );
    // The first probe has run and found nothing: the file appears during the 10 s sleep.
    expect(probes).toBe(1);
    await writeFile(file, '42');
    expect(await polling).toBe('42');
    expect(performance.now() - begin).toBeLessThan(5_000);
  });

  it("stops with the signal's reason, also during a sleep", async () => {
    const reason = new Error('stop');
    const controller = new AbortController();
    const polling = pollUntil(() => Promise.resolve(null), {
      signal: controller.signal,
      backOff: { minDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    setImmediate(() => controller.abort(reason));
    await expect(polling).rejects.toBe(reason);
    await expect(
      pollUntil(() => Promise.resolve('never'), {
        signal: AbortSignal.abort(reason),
        backOff: { minDelayMs: 1, maxDelayMs: 1 },
      }),
    ).rejects.toBe(reason);
  });
});
