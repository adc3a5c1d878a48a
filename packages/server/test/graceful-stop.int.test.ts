// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { EventStream } from './support/event-stream.js';
import { ServerFixture } from './support/server-fixture.js';
import { isRealBackend, NEEDS_FAULT } from './support/real-backend.js';

describe('a graceful stop', () => {
  it.skipIf(isRealBackend)(
    `cancels a create under way (nothing left of it), ends event streams, and refuses new calls ${NEEDS_FAULT}`,
    async () => {
      // Firecracker binds its API socket 3 s late: the create is still waiting when the stop comes.
      await using fixture = await ServerFixture.create({ fake: { socketDelayMs: 3000 } });
      const api = await fixture.start({ limits: { socketWaitTimeoutMs: TEST_WAIT_MS } });
      await using events = await EventStream.open(api, '/v1/events');
      const creating = api.call('POST', '/v1/vms', fixture.vmBody({ id: 'late' })).then(
        (answer) => answer.body.error,
        () => 'connection lost',
      );
      // The create has made its folder: it is under way.
      await expect
        .poll(() => readdir(path.join(fixture.stateDir, 'vms')), { timeout: TEST_WAIT_MS })
        .toEqual(['late']);
      const server = fixture.server as NonNullable<typeof fixture.server>;
      const closing = server.close({ shutdownVms: false });
      // A new call while stopping is refused, or finds the socket already gone.
      const late = await api.call('GET', '/v1/health').then(
        (answer) => answer.status,
        () => 'refused',
      );
      expect([503, 'refused']).toContain(late);
      await closing;
      await events.ended;
      // The cancelled create answered with its error (or lost its connection), and left nothing.
      expect(await creating).not.toBeUndefined();
      expect(await readdir(path.join(fixture.stateDir, 'vms'))).toEqual([]);
    },
  );
});
