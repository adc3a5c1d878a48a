// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { KindlingClient } from '@kindling/client';
import { packTar, replaceFromTar } from '@kindling/exec-agent/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from './support/test-server.js';
import { isRealBackend, NEEDS_GUEST } from '../support/real-backend.js';

// The client's guest calls against a real server on the fake Firecracker, its fake guest serving
// the exec agent (vsock port 10000) and HTTP (8000).
describe.skipIf(isRealBackend)(`the client's guest calls ${NEEDS_GUEST}`, () => {
  let server: TestServer;
  let client: KindlingClient;
  let work: string;

  beforeAll(async () => {
    server = await TestServer.start();
    client = server.client();
    const request = server.vmRequest('guest');
    const { source } = request as { source: { configuration: Record<string, unknown> } };
    source.configuration['vsock'] = { guest_cid: 3, uds_path: 'v.sock' };
    await client.createVm(request);
    // The guest's agent comes up a moment after the start.
    await waitForAgent(client);
    work = await mkdtemp(path.join(os.tmpdir(), 'kindling-client-files-'));
  });

  afterAll(async () => {
    await client.close();
    await server[Symbol.asyncDispose]();
    await rm(work, { recursive: true, force: true });
  });

  it('exec: runs a command and answers its exit and output', async () => {
    const result = await client.exec('guest', { argv: ['sh', '-c', 'cat; exit 4'], stdin: 'in' });
    expect(result).toEqual({ exitCode: 4, signal: null, stdout: 'in', stderr: '' });
  });

  it('exec: a command killed at its timeoutMs rejects with ERR_EXEC_TIMEOUT and status 504', async () => {
    await expect(
      client.exec('guest', { argv: ['sleep', '30'], timeoutMs: 100 }),
    ).rejects.toMatchObject({ code: 'ERR_EXEC_TIMEOUT', status: 504 });
  });

  it('pushFiles then pullFiles: a folder round-trips; statFile and listFiles see it', async () => {
    const source = path.join(work, 'in');
    await mkdir(source);
    await writeFile(path.join(source, 'note.txt'), 'kept\n');
    expect(await client.pushFiles('guest', 'job', packTar(source))).toEqual({
      entries: 2,
      bytes: 5,
    });
    expect(await client.statFile('guest', 'job/note.txt')).toMatchObject({ type: 'file', size: 5 });
    expect((await client.listFiles('guest', 'job')).entries.map((entry) => entry.name)).toEqual([
      'note.txt',
    ]);
    const out = path.join(work, 'out');
    await replaceFromTar(await client.pullFiles('guest', 'job'), out);
    expect(await readFile(path.join(out, 'note.txt'), 'utf8')).toBe('kept\n');
  });

  it('pullFiles of a missing path rejects with ERR_EXEC_NOT_FOUND', async () => {
    await expect(client.pullFiles('guest', 'no/such')).rejects.toMatchObject({
      code: 'ERR_EXEC_NOT_FOUND',
      status: 404,
    });
  });

  it('guestHttp: a request to the guest on port 8000, its answer as it gave it', async () => {
    const answer = await client.guestHttp('guest', 8000, 'POST', '/ping', '{"a":6,"b":7}', {
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual({ c: 42 });
  });

  it('guestHttp: nothing listening rejects with ERR_VSOCK_CLOSED; an unknown VM with ERR_VM_NOT_FOUND', async () => {
    await expect(client.guestHttp('guest', 9999, 'GET', '/')).rejects.toMatchObject({
      code: 'ERR_VSOCK_CLOSED',
    });
    await expect(client.guestHttp('nobody', 8000, 'GET', '/')).rejects.toMatchObject({
      code: 'ERR_VM_NOT_FOUND',
    });
  });

  it('refuses bad arguments with ERR_INVALID_INPUT before any request', async () => {
    await expect(client.statFile('guest', '')).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    await expect(client.guestHttp('guest', 0, 'GET', '/')).rejects.toThrow(/port: expected/u);
    await expect(client.guestHttp('guest', 8000, 'GET', 'ping')).rejects.toThrow(/path: expected/u);
  });
});

// Retries a trivial command until the guest's agent answers (bounded by the client's timeoutMs).
const waitForAgent = async (client: KindlingClient): Promise<void> => {
  const deadline = AbortSignal.timeout(10_000);
  for (;;) {
    try {
      await client.exec('guest', { argv: ['true'] });
      return;
    } catch (error) {
      if (deadline.aborted) {
        throw error;
      }
      await delay(50);
    }
  }
};
