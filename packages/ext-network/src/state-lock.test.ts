// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import path from 'node:path';
import { catchError, createTempFolder, TEST_WAIT_MS } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { withStateLock } from './state-lock.js';

const wait = { timeoutMs: TEST_WAIT_MS };

describe('withStateLock', () => {
  it('lets a caller queued behind a holder give up when its signal aborts', async () => {
    await using folder = await createTempFolder('kindling-state-lock-');
    const lock = path.join(folder.path, 'x.lock');
    const holding = Promise.withResolvers<void>();
    const release = Promise.withResolvers<void>();
    const order: string[] = [];
    const holder = withStateLock(folder.path, 'x.lock', wait, async () => {
      order.push('holder');
      holding.resolve();
      await release.promise;
    });
    await holding.promise;
    const controller = new AbortController();
    const queued = withStateLock(
      folder.path,
      'x.lock',
      { ...wait, signal: controller.signal },
      () => Promise.resolve(order.push('aborted caller')),
    );
    const after = withStateLock(folder.path, 'x.lock', wait, () =>
      Promise.resolve(order.push('after')),
    );
    const reason = new Error('gave up');
    controller.abort(reason);
    // It stops waiting at once, while the holder still holds the lock.
    expect(await catchError(queued)).toBe(reason);
    expect(existsSync(lock)).toBe(true);
    release.resolve();
    await holder;
    await after;
    // The one queued after the aborted caller still waited for the holder.
    expect(order).toEqual(['holder', 'after']);
    expect(existsSync(lock)).toBe(false);
  });

  it('refuses at once a signal aborted before the call', async () => {
    await using folder = await createTempFolder('kindling-state-lock-');
    const reason = new Error('already');
    const outcome = await catchError(
      withStateLock(folder.path, 'y.lock', { ...wait, signal: AbortSignal.abort(reason) }, () =>
        Promise.resolve('ran'),
      ),
    );
    expect(outcome).toBe(reason);
  });
});
