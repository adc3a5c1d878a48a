// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { isKindlingError } from '@kindling/spawner';
import { describe, expect, it, vi } from 'vitest';
import {
  startRawApiServer,
  type RawHandler,
  type RawResponse,
} from '../test/support/raw-api-server.js';
import { ApiClient, createApiClientOn } from './api-client.js';
import { ApiError, ProcessError } from './errors.js';
import { rejection } from '../test/support/assertions.js';

// Answers with each response in turn, then with 204s.
const answerInTurn = (answers: readonly RawResponse[]): RawHandler => {
  let next = 0;
  return () => answers[next++] ?? { status: 204 };
};

// Holds every request to `slowPath` until `gate` settles; answers the rest at once.
const holdOn =
  (slowPath: string, gate: Promise<void>): RawHandler =>
  async (request) => {
    if (request.path === slowPath) {
      await gate;
    }
    return { status: 204 };
  };

const versionSchema = {
  parse(value: unknown): { firecracker_version: string } {
    const version = (value as { firecracker_version?: unknown }).firecracker_version;
    if (typeof version !== 'string') {
      throw new TypeError('firecracker_version: expected a string');
    }
    return { firecracker_version: version };
  },
};

const withServer = async (
  handler: RawHandler,
  run: (client: ApiClient, server: Awaited<ReturnType<typeof startRawApiServer>>) => Promise<void>,
  timeoutMs?: number,
): Promise<void> => {
  await using server = await startRawApiServer(handler);
  await using client = new ApiClient({
    socketPath: server.socketPath,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  await run(client, server);
};

describe('ApiClient', () => {
  it('GETs and parses a 200 JSON body, sending Accept exactly application/json', async () => {
    await withServer(
      () => ({ status: 200, body: '{"id":"vm-1","state":"Not started"}' }),
      async (client, server) => {
        const response = await client.get('/');
        expect(response).toEqual({
          status: 200,
          body: { id: 'vm-1', state: 'Not started' },
          deprecated: false,
        });
        const [request] = server.requests;
        expect(request?.method).toBe('GET');
        expect(request?.path).toBe('/');
        expect(request?.headers['accept']).toBe('application/json');
        expect(request?.headers['content-type']).toBeUndefined();
        expect(request?.body).toBe('');
      },
    );
  });

  it('PUTs a JSON body with Content-Type exactly application/json and returns a 204 as no body', async () => {
    await withServer(
      () => ({ status: 204 }),
      async (client, server) => {
        const response = await client.put('/machine-config', { vcpu_count: 2, mem_size_mib: 256 });
        expect(response).toEqual({ status: 204, body: undefined, deprecated: false });
        const [request] = server.requests;
        expect(request?.method).toBe('PUT');
        expect(request?.headers['content-type']).toBe('application/json');
        expect(request?.headers['accept']).toBe('application/json');
        expect(request?.headers['content-length']).toBe(String(request?.body.length));
        expect(JSON.parse(String(request?.body))).toEqual({ vcpu_count: 2, mem_size_mib: 256 });
      },
    );
  });

  it('sends PATCH and DELETE with their methods', async () => {
    await withServer(
      () => ({ status: 204 }),
      async (client, server) => {
        await client.patch('/vm', { state: 'Paused' });
        await client.delete('/drives/scratch');
        await client.request('PATCH', '/balloon/hinting/stop');
        expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
          'PATCH /vm',
          'DELETE /drives/scratch',
          'PATCH /balloon/hinting/stop',
        ]);
        expect(server.requests[1]?.body).toBe('');
      },
    );
  });

  it('surfaces Deprecation: true', async () => {
    await withServer(
      () => ({ status: 204, headers: { Deprecation: 'true' } }),
      async (client) => {
        expect((await client.put('/vsock', { guest_cid: 3 })).deprecated).toBe(true);
      },
    );
  });

  it("turns Firecracker's fault_message into an ApiError", async () => {
    await withServer(
      () => ({ status: 400, body: '{"fault_message":"Empty PATCH request."}' }),
      async (client) => {
        const error = await rejection(client.patch('/machine-config', {}));
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toBeInstanceOf(ProcessError);
        expect(isKindlingError(error)).toBe(true);
        expect(error).toMatchObject({
          code: 'ERR_API_RESPONSE',
          status: 400,
          method: 'PATCH',
          path: '/machine-config',
          firecrackerMessage: 'Empty PATCH request.',
          source: 'fault_message',
        });
        expect((error as ApiError).message).toBe(
          'Firecracker rejected PATCH /machine-config with 400: Empty PATCH request.',
        );
      },
    );
  });

  it("turns the HTTP layer's invalid-JSON error body into an ApiError", async () => {
    await withServer(
      () => ({
        status: 400,
        body: '{ "error": "Invalid request.\nAll previous unanswered requests will be dropped." }',
      }),
      async (client) => {
        const error = await rejection(client.get('/'));
        expect(error).toMatchObject({
          status: 400,
          source: 'error',
          firecrackerMessage: 'Invalid request.\nAll previous unanswered requests will be dropped.',
        });
      },
    );
  });

  it('turns a 413, a 503 and a plain-text 500 into ApiErrors', async () => {
    await withServer(
      answerInTurn([
        { status: 413, body: '{"fault_message":"MMDS limit exceeded error: x"}' },
        { status: 503, body: '{ "error": "Too many open connections" }' },
        { status: 500, body: 'read failed' },
      ]),
      async (client) => {
        expect(await rejection(client.put('/mmds', { a: 1 }))).toMatchObject({
          status: 413,
          source: 'fault_message',
        });
        expect(await rejection(client.get('/'))).toMatchObject({
          status: 503,
          source: 'error',
          firecrackerMessage: 'Too many open connections',
        });
        expect(await rejection(client.get('/'))).toMatchObject({
          status: 500,
          source: 'unrecognised',
          firecrackerMessage: 'read failed',
        });
      },
    );
  });

  it('queues concurrent requests on one connection, one at a time, in order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    await withServer(
      async (request) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await tick();
        inFlight -= 1;
        return { status: 200, body: JSON.stringify({ path: request.path }) };
      },
      async (client, server) => {
        const paths = Array.from({ length: 8 }, (_, index) => `/r${index}`);
        const responses = await Promise.all(paths.map((item) => client.get(item)));
        expect(responses.map((response) => response.body)).toEqual(
          paths.map((item) => ({ path: item })),
        );
        expect(server.requests.map((request) => request.path)).toEqual(paths);
        expect(maxInFlight).toBe(1);
        expect(server.connections()).toBe(1);
      },
    );
  });

  it('times out with ERR_API_TIMEOUT by its default or per request, and recovers after', async () => {
    const gate = Promise.withResolvers<void>();
    await withServer(
      holdOn('/slow', gate.promise),
      async (client) => {
        const byDefault = await rejection(client.get('/slow'));
        expect(byDefault).toBeInstanceOf(ProcessError);
        expect(byDefault).toMatchObject({ code: 'ERR_API_TIMEOUT' });
        expect((byDefault as Error).message).toMatch(/GET \/slow: .* within 60 ms/u);
        const perRequest = await rejection(client.get('/slow', { timeoutMs: 20 }));
        expect((perRequest as Error).message).toMatch(/within 20 ms/u);
        gate.resolve();
        expect((await client.get('/fast')).status).toBe(204);
      },
      60,
    );
  });

  it("rejects with the caller's abort reason, before or during a request", async () => {
    const gate = Promise.withResolvers<void>();
    await withServer(
      async () => {
        await gate.promise;
        return { status: 204 };
      },
      async (client, server) => {
        const reason = new Error('caller gave up');
        const before = await rejection(client.get('/', { signal: AbortSignal.abort(reason) }));
        expect(before).toBe(reason);
        expect(server.requests).toHaveLength(0);
        const controller = new AbortController();
        const pending = client.get('/', { signal: controller.signal });
        controller.abort(reason);
        expect(await rejection(pending)).toBe(reason);
        gate.resolve();
      },
    );
  });

  it('refuses requests once closed, and closing twice is harmless', async () => {
    await withServer(
      () => ({ status: 204 }),
      async (client) => {
        await client.get('/');
        await client.close();
        await client.close();
        await client.destroy();
        expect(client.closed).toBe(true);
        expect(await rejection(client.get('/'))).toMatchObject({ code: 'ERR_API_CLOSED' });
      },
    );
  });

  it('fails with ERR_API_REQUEST when nothing listens on the socket', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-api-'));
    try {
      await using client = new ApiClient({ socketPath: path.join(dir, 'missing.sock') });
      const error = await rejection(client.get('/'));
      expect(error).toMatchObject({ code: 'ERR_API_REQUEST' });
      expect((error as Error).message).toContain('missing.sock');
      expect((error as Error).cause).toBeDefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('checks a body with a schema, and rejects a body that is not JSON or fails it', async () => {
    const schema = versionSchema;
    await withServer(
      answerInTurn([
        { status: 200, body: '{"firecracker_version":"1.16.1"}' },
        { status: 200, body: 'not json' },
        { status: 200, body: '{"firecracker_version":1}' },
      ]),
      async (client) => {
        const { body } = await client.get('/version', { schema });
        expect(body?.firecracker_version).toBe('1.16.1');
        expect(await rejection(client.get('/version', { schema }))).toMatchObject({
          code: 'ERR_API_BODY_INVALID',
        });
        const mismatch = await rejection(client.get('/version', { schema }));
        expect(mismatch).toMatchObject({ code: 'ERR_API_BODY_INVALID' });
        expect((mismatch as Error).cause).toBeInstanceOf(TypeError);
      },
    );
  });

  it('rejects bad options with ERR_INVALID_INPUT naming the option', async () => {
    expect(() => new ApiClient({ socketPath: '' })).toThrow(/options\.socketPath: expected/u);
    expect(() => new ApiClient({ socketPath: '/x.sock', timeoutMs: -1 })).toThrow(
      /options\.timeoutMs: expected a positive integer .* got -1/u,
    );
    await using client = new ApiClient({ socketPath: '/nonexistent/x.sock' });
    expect(await rejection(client.get('machine-config'))).toMatchObject({
      code: 'ERR_INVALID_INPUT',
    });
  });
  it('reaches a socket whose path is over the Unix limit, and removes its link when closed or destroyed', async () => {
    await using server = await startRawApiServer(() => ({ status: 200, body: '{"id":"vm-1"}' }));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-api-long-'));
    try {
      // Links are made in os.tmpdir(): a private one shows what is made and what is left.
      const links = path.join(dir, 'tmp');
      await mkdir(links);
      vi.stubEnv('TMPDIR', links);
      const long = path.join(dir, 'c'.repeat(120));
      await mkdir(long);
      const socketPath = path.join(long, 'api.sock');
      await symlink(server.socketPath, socketPath);
      for (const end of ['close', 'destroy'] as const) {
        const client = new ApiClient({ socketPath });
        expect((await client.get('/')).body).toEqual({ id: 'vm-1' });
        expect(await readdir(links)).toHaveLength(1);
        await client[end]();
        expect(await readdir(links)).toEqual([]);
        expect(await rejection(client.get('/'))).toMatchObject({ code: 'ERR_API_CLOSED' });
      }
    } finally {
      vi.unstubAllEnvs();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// A connection open to the server, as the socket wait hands it over.
const openConnection = async (socketPath: string): Promise<net.Socket> => {
  const socket = net.connect(socketPath);
  await once(socket, 'connect');
  return socket;
};

describe('createApiClientOn', () => {
  it('sends its first request on the connection it was given, not on a new one', async () => {
    await using server = await startRawApiServer(() => ({ status: 200, body: '{"id":"vm-1"}' }));
    const connection = await openConnection(server.socketPath);
    await using client = createApiClientOn({ socketPath: server.socketPath }, connection);
    expect((await client.get('/')).body).toEqual({ id: 'vm-1' });
    expect((await client.put('/vm', { state: 'Paused' })).status).toBe(200);
    expect(server.connections()).toBe(1);
    expect(server.requests.map((request) => request.connection)).toEqual([0, 0]);
  });
  it('connects afresh when the connection it was given broke before its first request', async () => {
    await using server = await startRawApiServer(() => ({ status: 204 }));
    const connection = await openConnection(server.socketPath);
    connection.destroy();
    await using client = createApiClientOn({ socketPath: server.socketPath }, connection);
    expect((await client.get('/')).status).toBe(204);
    expect(server.requests.map((request) => request.connection)).toEqual([1]);
  });
  it('closes the connection it was given when closed before any request', async () => {
    await using server = await startRawApiServer(() => ({ status: 204 }));
    const connection = await openConnection(server.socketPath);
    const client = createApiClientOn({ socketPath: server.socketPath }, connection);
    await client.close();
    expect(connection.destroyed).toBe(true);
    expect(server.requests).toEqual([]);
  });
});
