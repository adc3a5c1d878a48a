// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TEST_WAIT_MS, catchError, createTempFolder } from '@kindling/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { ClientError } from '@kindling/client';
import { TestServer, collectUntil } from './support/test-server.js';

// Every method against a real server on fake VMs, over its Unix socket and over TCP with a token.
describe('KindlingClient against @kindling/server', () => {
  it('drives a VM through its whole life, with the events of each change', async () => {
    await using server = await TestServer.start();
    await using client = server.client();
    // All VMs' events: one VM's stream needs the VM to exist already.
    await using events = await client.events();

    const created = await client.createVm(
      server.vmRequest('life', { start: false, labels: { app: 'web' } }),
    );
    expect(created).toMatchObject({
      id: 'life',
      state: 'not-started',
      labels: { app: 'web' },
      source: 'config',
      jailed: false,
    });
    expect((await client.startVm('life')).state).toBe('running');
    expect((await client.pauseVm('life')).state).toBe('paused');
    const snapshot = await client.createSnapshot('life', {
      snapshotPath: 'life.state',
      memoryPath: 'life.mem',
    });
    expect(snapshot).toMatchObject({ vmId: 'life', type: 'Full' });
    expect(path.isAbsolute(snapshot.snapshotPath)).toBe(true);
    expect((await client.resumeVm('life')).state).toBe('running');
    expect((await client.listVms()).map((vm) => [vm.id, vm.state])).toEqual([['life', 'running']]);
    expect(await client.health()).toMatchObject({
      vms: 1,
      recovered: { adopted: [], cleanedUp: [] },
    });

    const config = await client.firecracker('life', 'GET', '/machine-config');
    expect(config).toMatchObject({ status: 200, body: { vcpu_count: 1, mem_size_mib: 128 } });

    // Firecracker writes metrics every 60 s, or at once on FlushMetrics; the server reads them as they come.
    await expect(
      client.firecracker('life', 'PUT', '/actions', { action_type: 'FlushMetrics' }),
    ).resolves.toEqual({ status: 204, body: undefined });
    await vi.waitFor(async () => expect(await client.metrics()).toContain('vm_id="life"'), {
      timeout: TEST_WAIT_MS,
      interval: 50,
    });

    const stopped = await client.stopVm('life', { force: true });
    expect(['exited', 'crashed']).toContain(stopped.state);
    await client.deleteVm('life');
    await expect(client.getVm('life')).rejects.toMatchObject({
      code: 'ERR_VM_NOT_FOUND',
      status: 404,
    });

    const seen = (await collectUntil(events, (event) => event.state === 'deleted')).map(
      (event) => event.state,
    );
    expect(seen.slice(0, 4)).toEqual(['not-started', 'running', 'paused', 'running']);
    expect(seen.at(-1)).toBe('deleted');
  });

  it("passes Firecracker's own refusal through as Firecracker gave it", async () => {
    await using server = await TestServer.start();
    await using client = server.client();
    await client.createVm(server.vmRequest('refused'));
    // Firecracker refuses a machine configuration once the guest runs.
    const refused = await client.firecracker('refused', 'PUT', '/machine-config', {
      vcpu_count: 2,
      mem_size_mib: 256,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toHaveProperty('fault_message');
  });

  it("rejects bad input with the server's ERR_INVALID_INPUT naming the field, and creates nothing", async () => {
    await using server = await TestServer.start();
    await using client = server.client();
    const error = await catchError(
      client.createVm({
        ...server.vmRequest('bad'),
        source: { kind: 'config-file', path: '/etc/passwd' },
      }),
    );
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_INPUT', status: 400 });
    expect((error as ClientError).field).toMatch(/source\.path/u);
    await expect(client.listVms()).resolves.toEqual([]);
  });

  it('reaches a TCP listener with its token, and is refused without it', async () => {
    await using folder = await createTempFolder('kindling-client-token-');
    const tokenFile = path.join(folder.path, 'token');
    await writeFile(tokenFile, 'tok-0123456789abcdef\n', { mode: 0o600 });
    await using tcp = await TestServer.start({
      listen: { tcp: '127.0.0.1:0', tokenFile },
    });
    await using withToken = tcp.client({ token: (await readFile(tokenFile, 'utf8')).trim() });
    await expect(withToken.listVms()).resolves.toEqual([]);
    await using without = tcp.client();
    await expect(without.listVms()).rejects.toMatchObject({
      code: 'ERR_UNAUTHORIZED',
      status: 401,
    });
  });

  it('speaks TLS to a server with the certificate it was given as ca, and refuses one it was not', async () => {
    // The client's test certificate (for localhost), which its transport tests use too.
    const support = path.join(import.meta.dirname, '../../../client/test/support');
    await using folder = await createTempFolder('kindling-client-token-');
    const tokenFile = path.join(folder.path, 'token');
    await writeFile(tokenFile, 'tls-token-0123456789abcdef\n', { mode: 0o600 });
    await using tls = await TestServer.start({
      listen: {
        tcp: '127.0.0.1:0',
        tokenFile,
        tlsCertFile: path.join(support, 'localhost-cert.pem'),
        tlsKeyFile: path.join(support, 'localhost-key.pem'),
      },
    });
    const origin = tls.target.replace('127.0.0.1', 'localhost');
    const ca = await readFile(path.join(support, 'localhost-cert.pem'), 'utf8');
    await using trusting = tls.client({ server: origin, ca, token: 'tls-token-0123456789abcdef' });
    await expect(trusting.health()).resolves.toMatchObject({ vms: 0 });
    await using untrusting = tls.client({ server: origin, token: 'tls-token-0123456789abcdef' });
    await expect(untrusting.health()).rejects.toMatchObject({ code: 'ERR_SERVER_UNREACHABLE' });
  });

  it('ends event streams when the server closes', async () => {
    await using server = await TestServer.start();
    await using client = server.client({ timeoutMs: TEST_WAIT_MS });
    const events = await client.events();
    await server.server.close();
    expect(await collectUntil(events, () => false)).toEqual([]);
  });
});
