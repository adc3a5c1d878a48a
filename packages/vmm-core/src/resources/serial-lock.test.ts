// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { SerialLock } from './serial-lock.js';

describe('SerialLock', () => {
  it('runs one task at a time, in the order they were given', async () => {
    const lock = new SerialLock();
    const events: string[] = [];
    const { promise: gate, resolve: open } = Promise.withResolvers<void>();
    const first = lock.run(async () => {
      events.push('first starts');
      await gate;
      events.push('first ends');
      return 1;
    });
    const second = lock.run(() => {
      events.push('second runs');
      return Promise.resolve(2);
    });
    await Promise.resolve();
    expect(events).toStrictEqual(['first starts']);
    open();
    expect(await Promise.all([first, second])).toStrictEqual([1, 2]);
    expect(events).toStrictEqual(['first starts', 'first ends', 'second runs']);
  });

  it('hands a failure to its caller and runs the next task anyway', async () => {
    const lock = new SerialLock();
    const failure = new Error('broken');
    const failing = lock.run(() => Promise.reject(failure));
    const next = lock.run(() => Promise.resolve('ran'));
    await expect(failing).rejects.toBe(failure);
    expect(await next).toBe('ran');
  });
});
