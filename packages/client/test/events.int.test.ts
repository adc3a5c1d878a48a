// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { TEST_WAIT_MS } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { KindlingClient, type VmEvent } from '../src/index.js';
import { collect, startUnixStandIn, type Script } from './support/stand-in-server.js';

const event = (state: VmEvent['state']): VmEvent => ({
  id: 'web',
  state,
  at: '2026-01-01T00:00:00.000Z',
});
const data = (item: VmEvent) => `data: ${JSON.stringify(item)}\n\n`;

const SCRIPT: Script = {
  'GET /v1/events': 'stream',
  'GET /v1/vms/web/events': 'stream',
  'GET /v1/vms/gone/events': {
    status: 404,
    json: { error: { code: 'ERR_VM_NOT_FOUND', message: 'no VM "gone"' } },
  },
};

describe('KindlingClient.events', () => {
  it('resolves once subscribed, then yields each event until the server ends the stream', async () => {
    await using stand = await startUnixStandIn(SCRIPT);
    await using client = new KindlingClient({ server: stand.server, timeoutMs: TEST_WAIT_MS });
    await using stream = await client.events();
    expect(stand.streams).toHaveLength(1);
    stand.streams[0]?.write(data(event('running')));
    stand.streams[0]?.end(`event: vm\n${data(event('paused'))}`);
    expect(await collect(stream)).toEqual([event('running'), event('paused')]);
    expect(stand.seen.map((seen) => [seen.url, seen.headers['accept']])).toEqual([
      ['/v1/events', 'text/event-stream'],
    ]);
  });

  it('ends an iteration quietly on close()', async () => {
    await using stand = await startUnixStandIn(SCRIPT);
    await using client = new KindlingClient({ server: stand.server, timeoutMs: TEST_WAIT_MS });
    const stream = await client.events({ vmId: 'web' });
    const iterator = stream[Symbol.asyncIterator]();
    stand.streams[0]?.write(data(event('running')));
    expect(await iterator.next()).toEqual({ done: false, value: event('running') });
    const next = iterator.next();
    await stream.close();
    expect(await next).toEqual({ done: true, value: undefined });
    expect(stand.seen.map((request) => request.url)).toEqual(['/v1/vms/web/events']);
  });

  it("ends an iteration with the caller's reason when the signal aborts", async () => {
    await using stand = await startUnixStandIn(SCRIPT);
    await using client = new KindlingClient({ server: stand.server, timeoutMs: TEST_WAIT_MS });
    const controller = new AbortController();
    const reason = new Error('orchestrator stopping');
    await using stream = await client.events({ signal: controller.signal });
    const next = stream[Symbol.asyncIterator]().next();
    controller.abort(reason);
    await expect(next).rejects.toBe(reason);
  });

  it('ends open streams when the client closes, so close() never waits on them', async () => {
    await using stand = await startUnixStandIn(SCRIPT);
    const client = new KindlingClient({ server: stand.server, timeoutMs: TEST_WAIT_MS });
    const stream = await client.events();
    const next = stream[Symbol.asyncIterator]().next();
    await client.close();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it("rejects the subscription with the server's code", async () => {
    await using stand = await startUnixStandIn(SCRIPT);
    await using client = new KindlingClient({ server: stand.server, timeoutMs: TEST_WAIT_MS });
    await expect(client.events({ vmId: 'gone' })).rejects.toMatchObject({
      code: 'ERR_VM_NOT_FOUND',
      status: 404,
    });
  });
});
