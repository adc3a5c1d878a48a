// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { VmEvent } from '@kindling/client';
import { isAlive, TEST_WAIT_MS } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStream } from './support/event-stream.js';
import { ServerFixture, type ApiCaller } from './support/server-fixture.js';
import { isRealBackend, NEEDS_GUEST } from './support/real-backend.js';

// An event with these fields.
const eventLike =
  (fields: Partial<VmEvent>) =>
  (event: VmEvent): boolean =>
    Object.entries(fields).every(([key, value]) => event[key as keyof VmEvent] === value);

// Every route through real HTTP on the server's Unix socket, VMs on the fake Firecracker.
describe('the routes, over the Unix socket', () => {
  let fixture: ServerFixture;
  let api: ApiCaller;
  let events: EventStream;
  const pids: number[] = [];

  beforeAll(async () => {
    fixture = await ServerFixture.create();
    api = await fixture.start({ limits: { socketWaitTimeoutMs: TEST_WAIT_MS } });
    events = await EventStream.open(api, '/v1/events');
  });

  afterAll(async () => {
    await events[Symbol.asyncDispose]();
    await fixture[Symbol.asyncDispose]();
  });

  it('listens on a socket only its user may use', async () => {
    expect((await stat(fixture.socketPath)).mode & 0o777).toBe(0o600);
  });

  it('GET /v1/health: version, VMs, uptime, nothing recovered', async () => {
    const health = await api.call('GET', '/v1/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({
      version: '0.0.0',
      vms: 0,
      uptimeMs: expect.any(Number),
      recovered: { adopted: [], cleanedUp: [] },
    });
  });

  it('POST /v1/vms creates and starts a VM from a configuration', async () => {
    const created = await api.call(
      'POST',
      '/v1/vms',
      fixture.vmBody({ id: 'alpha', labels: { job: 'web' } }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: 'alpha',
      state: 'running',
      pid: expect.any(Number),
      createdAt: expect.any(String),
      labels: { job: 'web' },
      source: 'config',
      apiSocket: path.join(fixture.stateDir, 'vms', 'alpha', 'api.sock'),
      jailed: false,
      adopted: false,
    });
    pids.push(created.body.pid as number);
    expect(isAlive(created.body.pid as number)).toBe(true);
    await events.waitFor(eventLike({ id: 'alpha', reason: 'created' }));
  });

  it('GET /v1/vms and GET /v1/vms/:id describe it', async () => {
    const list = await api.call('GET', '/v1/vms');
    expect(list.status).toBe(200);
    const one = await api.call('GET', '/v1/vms/alpha');
    expect(one.body).toMatchObject({ id: 'alpha', state: 'running' });
    expect(list.body.vms).toEqual([one.body]);
  });

  it('POST /v1/vms/:id/pause and /resume change its state, each an event', async () => {
    await using vmEvents = await EventStream.open(api, '/v1/vms/alpha/events');
    expect(vmEvents.contentType).toBe('text/event-stream');
    const paused = await api.call('POST', '/v1/vms/alpha/pause');
    expect([paused.status, paused.body.state]).toEqual([200, 'paused']);
    const resumed = await api.call('POST', '/v1/vms/alpha/resume');
    expect([resumed.status, resumed.body.state]).toEqual([200, 'running']);
    await vmEvents.waitFor(eventLike({ state: 'running', previousState: 'paused' }));
    expect(vmEvents.events.map((event) => [event.id, event.previousState, event.state])).toEqual([
      ['alpha', 'running', 'paused'],
      ['alpha', 'paused', 'running'],
    ]);
  });

  it('the Firecracker passthrough answers as Firecracker did: a body, a 204, a refusal', async () => {
    const config = await api.call('GET', '/v1/vms/alpha/firecracker/machine-config');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ vcpu_count: 1, mem_size_mib: 128 });
    const flushed = await api.call('PUT', '/v1/vms/alpha/firecracker/actions', {
      action_type: 'FlushMetrics',
    });
    expect(flushed.status).toBe(204);
    // After boot Firecracker refuses to change the machine: its 400 and fault_message come back.
    const refused = await api.call('PUT', '/v1/vms/alpha/firecracker/machine-config', {
      vcpu_count: 2,
      mem_size_mib: 128,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.fault_message).toMatch(/./u);
  });

  it('GET /v1/metrics: every VM in Prometheus text', async () => {
    const metrics = await api.call('GET', '/v1/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/u);
    // The FlushMetrics above wrote a line to the VM's FIFO, which the server follows.
    expect(metrics.text).toMatch(
      /^firecracker_put_api_requests_actions_count_total\{vm_id="alpha"\} [1-9]/mu,
    );
  });

  it('POST /v1/vms/:id/snapshots writes a snapshot under the state folder, the VM running again', async () => {
    const snapshot = await api.call('POST', '/v1/vms/alpha/snapshots', {
      snapshotPath: 'alpha.state',
      memoryPath: 'alpha.mem',
    });
    expect(snapshot.status).toBe(201);
    const folder = path.join(fixture.stateDir, 'snapshots');
    expect(snapshot.body).toEqual({
      vmId: 'alpha',
      snapshotPath: path.join(folder, 'alpha.state'),
      memoryPath: path.join(folder, 'alpha.mem'),
      type: 'Full',
    });
    expect((await readdir(folder)).toSorted()).toEqual(['alpha.mem', 'alpha.state']);
    expect((await api.call('GET', '/v1/vms/alpha')).body.state).toBe('running');
  });

  it('POST /v1/vms restores a VM from that snapshot', async () => {
    const restored = await api.call('POST', '/v1/vms', {
      id: 'restored',
      source: { kind: 'snapshot', snapshotPath: 'alpha.state', memoryPath: 'alpha.mem' },
    });
    expect([restored.status, restored.body.state, restored.body.source]).toEqual([
      201,
      'running',
      'snapshot',
    ]);
    pids.push(restored.body.pid as number);
  });

  it('POST /v1/vms boots a Firecracker config file from the images folder', async () => {
    await writeFile(
      path.join(fixture.imagesDir, 'vm.json'),
      JSON.stringify({
        'boot-source': { kernel_image_path: 'vmlinux', boot_args: 'console=ttyS0' },
        'machine-config': { vcpu_count: 2, mem_size_mib: 256 },
        drives: [],
      }),
    );
    const created = await api.call('POST', '/v1/vms', {
      id: 'from-file',
      source: { kind: 'config-file', path: 'vm.json' },
    });
    expect([created.status, created.body.state, created.body.source]).toEqual([
      201,
      'running',
      'config-file',
    ]);
    pids.push(created.body.pid as number);
    const config = await api.call('GET', '/v1/vms/from-file/firecracker/machine-config');
    expect(config.body).toMatchObject({ vcpu_count: 2, mem_size_mib: 256 });
  });

  it('start: false prepares a VM, POST /v1/vms/:id/start starts it', async () => {
    const prepared = await api.call(
      'POST',
      '/v1/vms',
      fixture.vmBody({ id: 'later', start: false }),
    );
    expect([prepared.status, prepared.body.state, prepared.body.pid]).toEqual([
      201,
      'not-started',
      undefined,
    ]);
    const started = await api.call('POST', '/v1/vms/later/start');
    expect([started.status, started.body.state]).toEqual([200, 'running']);
    pids.push(started.body.pid as number);
  });

  it.skipIf(isRealBackend)(
    `POST /v1/vms/:id/stop shuts a VM down and keeps how it ended until it is deleted ${NEEDS_GUEST}`,
    async () => {
      const stopped = await api.call('POST', '/v1/vms/later/stop', { timeoutMs: TEST_WAIT_MS });
      expect(stopped.status).toBe(200);
      expect(stopped.body).toMatchObject({
        id: 'later',
        state: 'exited',
        exit: { reason: 'exited', code: 0 },
      });
      expect(stopped.body.pid).toBeUndefined();
      const forced = await api.call('POST', '/v1/vms/from-file/stop', { force: true });
      expect(forced.body).toMatchObject({
        state: 'exited',
        exit: { reason: 'signaled', signal: 'SIGKILL' },
      });
      await events.waitFor(eventLike({ id: 'later', state: 'exited' }));
    },
  );

  it('a VM killed from outside is reported crashed, by GET and as an event', async () => {
    const created = await api.call('POST', '/v1/vms', fixture.vmBody({ id: 'victim' }));
    process.kill(created.body.pid as number, 'SIGKILL');
    await events.waitFor(eventLike({ id: 'victim', state: 'crashed', reason: 'crashed' }));
    expect((await api.call('GET', '/v1/vms/victim')).body).toMatchObject({
      state: 'crashed',
      exit: { reason: 'signaled', signal: 'SIGKILL' },
    });
    expect((await api.call('DELETE', '/v1/vms/victim')).status).toBe(204);
  });

  it.skipIf(isRealBackend)(
    `DELETE /v1/vms/:id stops it if needed, removes all it made, and forgets it ${NEEDS_GUEST}`,
    async () => {
      const alphaPid = (await api.call('GET', '/v1/vms/alpha')).body.pid as number;
      for (const id of ['alpha', 'restored', 'later', 'from-file']) {
        const deleted = await api.call('DELETE', `/v1/vms/${id}`);
        expect([id, deleted.status, deleted.text]).toEqual([id, 204, '']);
        expect(existsSync(path.join(fixture.stateDir, 'vms', id))).toBe(false);
      }
      expect(isAlive(alphaPid)).toBe(false);
      expect((await api.call('GET', '/v1/vms')).body).toEqual({ vms: [] });
      expect((await api.call('GET', '/v1/vms/alpha')).status).toBe(404);
      await events.waitFor(eventLike({ id: 'alpha', state: 'deleted' }));
      // Its series went with it.
      expect((await api.call('GET', '/v1/metrics')).text).not.toMatch(/vm_id="alpha"/u);
    },
  );

  it('leaves no Firecracker running once the server has stopped', async () => {
    await fixture.stop({ shutdownVms: true });
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  });
});
