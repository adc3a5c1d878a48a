// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { catchError, createTempFolder, TEST_WAIT_MS } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { ClientError, KindlingClient } from '../src/index.js';
import {
  seenJson,
  startTlsStandIn,
  startUnixStandIn,
  type SeenRequest,
} from './support/stand-in-server.js';

const VM = {
  id: 'web',
  state: 'running',
  createdAt: '2026-01-01T00:00:00.000Z',
  labels: {},
  source: 'config',
  jailed: false,
  adopted: false,
};

const HEALTH = { version: '0.0.0', vms: 0, uptimeMs: 1, recovered: { adopted: [], cleanedUp: [] } };

const readTls = async () => ({
  cert: await readFile(path.join(import.meta.dirname, 'support/localhost-cert.pem'), 'utf8'),
  key: await readFile(path.join(import.meta.dirname, 'support/localhost-key.pem'), 'utf8'),
});

const requestLine = (seen: SeenRequest) => `${seen.method} ${seen.url}`;

describe('KindlingClient transport', () => {
  it('sends each call to its route, the body as JSON, and parses the answer', async () => {
    await using stand = await startUnixStandIn({
      'GET /v1/vms/web': { status: 200, json: VM },
      'POST /v1/vms': { status: 201, json: VM },
      'DELETE /v1/vms/a%20b%2Fc': { status: 204 },
    });
    await using client = new KindlingClient({ server: stand.server, timeoutMs: TEST_WAIT_MS });
    await expect(client.getVm('web')).resolves.toEqual(VM);
    await expect(
      client.createVm({ id: 'web', source: { kind: 'config-file', path: '/images/vm.json' } }),
    ).resolves.toEqual(VM);
    await expect(client.deleteVm('a b/c')).resolves.toBeUndefined();
    expect(stand.seen.map(requestLine)).toEqual([
      'GET /v1/vms/web',
      'POST /v1/vms',
      'DELETE /v1/vms/a%20b%2Fc',
    ]);
    expect(seenJson(stand, 1)).toEqual({
      id: 'web',
      source: { kind: 'config-file', path: '/images/vm.json' },
    });
    expect(stand.seen.map((seen) => seen.headers['content-type'])).toEqual([
      undefined,
      'application/json',
      undefined,
    ]);
    expect(stand.seen.map((seen) => seen.headers['authorization'])).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("rejects with the server's code, message, status and field", async () => {
    await using stand = await startUnixStandIn({
      '*': {
        status: 404,
        json: { error: { code: 'ERR_VM_NOT_FOUND', message: 'no VM "x"', field: 'params.id' } },
      },
    });
    await using client = new KindlingClient({ server: stand.server, timeoutMs: TEST_WAIT_MS });
    const error = await catchError(client.pauseVm('x'));
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({
      code: 'ERR_VM_NOT_FOUND',
      message: 'no VM "x"',
      status: 404,
      field: 'params.id',
    });
  });

  it("passes Firecracker's answers through, errors included, but rejects the server's own", async () => {
    await using stand = await startUnixStandIn({
      'PATCH /v1/vms/web/firecracker/machine-config': {
        status: 400,
        json: { fault_message: 'bad vcpu_count' },
      },
      'PUT /v1/vms/web/firecracker/actions': { status: 204 },
      'GET /v1/vms/gone/firecracker/': {
        status: 404,
        json: { error: { code: 'ERR_VM_NOT_FOUND', message: 'no VM' } },
      },
    });
    await using client = new KindlingClient({ server: stand.server, timeoutMs: TEST_WAIT_MS });
    await expect(
      client.firecracker('web', 'PATCH', '/machine-config', { vcpu_count: 0 }),
    ).resolves.toEqual({ status: 400, body: { fault_message: 'bad vcpu_count' } });
    await expect(
      client.firecracker('web', 'PUT', '/actions', { action_type: 'FlushMetrics' }),
    ).resolves.toEqual({ status: 204, body: undefined });
    await expect(client.firecracker('gone', 'GET', '/')).rejects.toMatchObject({
      code: 'ERR_VM_NOT_FOUND',
      status: 404,
    });
    expect(stand.seen.map(requestLine)).toEqual([
      'PATCH /v1/vms/web/firecracker/machine-config',
      'PUT /v1/vms/web/firecracker/actions',
      'GET /v1/vms/gone/firecracker/',
    ]);
  });

  it('refuses bad arguments before sending anything', async () => {
    await using stand = await startUnixStandIn({});
    await using client = new KindlingClient({ server: stand.server, timeoutMs: TEST_WAIT_MS });
    await expect(client.getVm('')).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    await expect(client.stopVm(undefined as unknown as string)).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(/^id: expected a VM id/u),
    });
    await expect(client.firecracker('web', 'POST' as 'PUT', '/actions')).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(/^method:/u),
    });
    await expect(client.firecracker('web', 'GET', 'machine-config')).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(/^path:/u),
    });
    await expect(client.listVms({ timeoutMs: -1 })).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(/^options\.timeoutMs:/u),
    });
    expect(() => new KindlingClient({ server: stand.server, timeout: 5 } as never)).toThrow(
      /options\.timeout: unknown key; did you mean timeoutMs\?/u,
    );
    expect(stand.seen).toEqual([]);
  });

  it("rejects an answer that is not the route's shape with ERR_SERVER_RESPONSE", async () => {
    await using stand = await startUnixStandIn({
      'GET /v1/health': { status: 200, json: { version: 1 } },
      'GET /v1/vms': { status: 502, text: '<h1>Bad gateway</h1>' },
    });
    await using client = new KindlingClient({ server: stand.server, timeoutMs: TEST_WAIT_MS });
    await expect(client.health()).rejects.toMatchObject({
      code: 'ERR_SERVER_RESPONSE',
      message: expect.stringContaining('version: Invalid input: expected string'),
    });
    await expect(client.listVms()).rejects.toMatchObject({
      code: 'ERR_SERVER_RESPONSE',
      status: 502,
      message: expect.stringContaining('<h1>Bad gateway</h1>'),
    });
  });

  it('is ERR_SERVER_UNREACHABLE when nothing listens at the socket', async () => {
    await using folder = await createTempFolder('kindling-client-');
    await using client = new KindlingClient({
      server: path.join(folder.path, 'nothing.sock'),
      timeoutMs: TEST_WAIT_MS,
    });
    const error = await catchError(client.health());
    expect(error).toMatchObject({ code: 'ERR_SERVER_UNREACHABLE' });
    expect((error as Error).message).toContain('is `kindling serve` running there');
  });

  it("is ERR_SERVER_TIMEOUT when no answer comes within timeoutMs, and the caller's reason on abort", async () => {
    await using stand = await startUnixStandIn({ '*': 'silent' });
    await using client = new KindlingClient({ server: stand.server, timeoutMs: TEST_WAIT_MS });
    await expect(client.listVms({ timeoutMs: 50 })).rejects.toMatchObject({
      code: 'ERR_SERVER_TIMEOUT',
      message: expect.stringContaining('no answer within 50 ms'),
    });
    const reason = new Error('caller gave up');
    const controller = new AbortController();
    const call = client.getVm('web', { signal: controller.signal });
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
  });

  it('speaks TLS to a server whose certificate it was given, with the bearer token', async () => {
    const tls = await readTls();
    await using stand = await startTlsStandIn(tls, {
      'GET /v1/health': { status: 200, json: HEALTH },
    });
    {
      await using client = new KindlingClient({
        server: stand.server,
        token: 's3cret',
        ca: tls.cert,
        timeoutMs: TEST_WAIT_MS,
      });
      await expect(client.health()).resolves.toEqual(HEALTH);
    }
    expect(stand.seen.map((seen) => seen.headers['authorization'])).toEqual(['Bearer s3cret']);
    await using untrusting = new KindlingClient({ server: stand.server, timeoutMs: TEST_WAIT_MS });
    await expect(untrusting.health()).rejects.toMatchObject({ code: 'ERR_SERVER_UNREACHABLE' });
    expect(stand.seen).toHaveLength(1);
  });
});
