// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { CleanupStack } from './cleanup-stack.js';

describe('CleanupStack', () => {
  it('runs the steps in reverse order once', async () => {
    const order: number[] = [];
    const stack = new CleanupStack();
    for (const step of [1, 2, 3]) {
      stack.defer(() => {
        order.push(step);
        return Promise.resolve();
      });
    }
    await stack[Symbol.asyncDispose]();
    await stack[Symbol.asyncDispose]();
    expect(order).toEqual([3, 2, 1]);
  });

  it('runs every step when one fails, then throws that error', async () => {
    const order: string[] = [];
    const failure = new Error('rm failed');
    const stack = new CleanupStack();
    stack.defer(() => {
      order.push('first');
      return Promise.resolve();
    });
    stack.defer(() => Promise.reject(failure));
    await expect(stack[Symbol.asyncDispose]()).rejects.toBe(failure);
    expect(order).toEqual(['first']);
  });

  it('throws an AggregateError when several steps fail', async () => {
    const stack = new CleanupStack();
    stack.defer(() => Promise.reject(new Error('a')));
    stack.defer(() => Promise.reject(new Error('b')));
    const error: unknown = await stack[Symbol.asyncDispose]().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((inner: Error) => inner.message)).toEqual([
      'b',
      'a',
    ]);
  });

  it('keeps the error of the block when disposal also fails, as `await using` does', async () => {
    const primary = new Error('download failed');
    const cleanupFailure = new Error('rm failed');
    const run = async (): Promise<void> => {
      await using stack = new CleanupStack();
      stack.defer(() => Promise.reject(cleanupFailure));
      throw primary;
    };
    const error: unknown = await run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SuppressedError);
    expect((error as SuppressedError).error).toBe(cleanupFailure);
    expect((error as SuppressedError).suppressed).toBe(primary);
  });
});
