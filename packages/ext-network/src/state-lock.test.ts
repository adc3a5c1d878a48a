// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import path from 'node:path';
import { catchError, createTempFolder, TEST_WAIT_MS } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { withStateLock } from './state-lock.js';

describe('withStateLock', () => {
  it('lets a caller queued behind a holder give up when its signal aborts', async () => {
    await using folder = await createTempFolder('kindling-state-lock-');
    const wait = { timeoutMs: TEST_WAIT_MS };
    let release = (): void => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const order: string[] = [];
    let entered = (): void => {};
    const holding = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const holder = withStateLock(folder.path, 'x.lock', wait, async () => {
      order.push('holder');
      entered();
      await held;
    });
    await holding;
    const controller = new AbortController();
    const queued = withStateLock(
      folder.path,
      'x.lock',
      { ...wait, signal: controller.signal },
      async () => {
        order.push('aborted caller ran');
      },
    );
    const after = withStateLock(folder.path, 'x.lock', wait, async () => {
      order.push('after');
    });
    const reason = new Error('gave up');
    controller.abort(reason);
    // It stops waiting at once, while the holder still holds the lock.
    expect(await catchError(queued)).toBe(reason);
    expect(existsSync(path.join(folder.path, 'x.lock'))).toBe(true);
    release();
    await holder;
    await after;
    // The one queued after the aborted caller still waited for the holder.
    expect(order).toEqual(['holder', 'after']);
    expect(existsSync(path.join(folder.path, 'x.lock'))).toBe(false);
  });

  it('refuses at once a signal aborted before the call', async () => {
    await using folder = await createTempFolder('kindling-state-lock-');
    const reason = new Error('already');
    const outcome = await catchError(
      withStateLock(
        folder.path,
        'y.lock',
        { timeoutMs: TEST_WAIT_MS, signal: AbortSignal.abort(reason) },
        async () => 'ran',
      ),
    );
    expect(outcome).toBe(reason);
  });
});
