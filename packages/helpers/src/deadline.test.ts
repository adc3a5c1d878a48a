// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { createDeadline, raceSignal, runWithDeadline } from './deadline.js';

const never = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });

describe('createDeadline', () => {
  it("tells a timeout from the caller's abort", async () => {
    using timed = createDeadline(1);
    await expect(never(timed.signal)).rejects.toThrow('timed out after 1 ms');
    expect(timed.timedOut).toBe(true);

    const caller = new AbortController();
    using aborted = createDeadline(Number.POSITIVE_INFINITY, caller.signal);
    caller.abort(new Error('stop'));
    expect(aborted.signal.reason).toEqual(new Error('stop'));
    expect(aborted.timedOut).toBe(false);
  });
});

describe('runWithDeadline', () => {
  it("turns a timeout into onTimeout's error and rethrows a caller's reason", async () => {
    await expect(
      runWithDeadline({ timeoutMs: 1 }, never, (cause) => new Error('late', { cause })),
    ).rejects.toThrow('late');
    const caller = new AbortController();
    const running = runWithDeadline(
      { timeoutMs: 60_000, signal: caller.signal },
      never,
      () => new Error('late'),
    );
    caller.abort(new Error('mine'));
    await expect(running).rejects.toThrow('mine');
  });

  it('returns what the task returns', async () => {
    expect(
      await runWithDeadline(
        { timeoutMs: 60_000 },
        () => Promise.resolve(3),
        (cause) => cause,
      ),
    ).toBe(3);
  });
});

describe('raceSignal', () => {
  it('rejects with the reason when the signal aborts first', async () => {
    const controller = new AbortController();
    const racing = raceSignal(new Promise(() => {}), controller.signal);
    controller.abort(new Error('gone'));
    await expect(racing).rejects.toThrow('gone');
  });
});
