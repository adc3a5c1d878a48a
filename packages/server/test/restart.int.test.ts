// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isAlive, TEST_WAIT_MS, waitUntilGone } from '@kindling/test-utils';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { ApiCaller, ServerFixture } from './support/server-fixture.js';
import { ServerProcess } from './support/server-process.js';

const callerOn = (fixture: ServerFixture): ApiCaller =>
  new ApiCaller(
    'http://localhost',
    new Agent({ connect: { socketPath: path.join(fixture.stateDir, 'server.sock') } }),
  );

const limits = { socketWaitTimeoutMs: TEST_WAIT_MS };

describe('a server that restarts', () => {
  it('after a SIGKILL: re-adopts the running VMs, cleans up the dead one, and drives them again', async () => {
    await using fixture = await ServerFixture.create();
    const first = await ServerProcess.start(fixture.config({ limits }));
    const before = callerOn(fixture);
    const pids = new Map<string, number>();
    for (const id of ['keep', 'sleeper', 'dies']) {
      const created = await before.call('POST', '/v1/vms', fixture.vmBody({ id, labels: { id } }));
      expect([id, created.status]).toEqual([id, 201]);
      pids.set(id, created.body.pid as number);
    }
    const diesPid = pids.get('dies') as number;
    expect((await before.call('POST', '/v1/vms/sleeper/pause')).body.state).toBe('paused');
    await before.dispatcher.close();

    // The server dies at once: nothing of its own runs, its VMs go on.
    expect(await first.stop('SIGKILL')).toEqual([null, 'SIGKILL']);
    expect([...pids.values()].filter((pid) => !isAlive(pid))).toEqual([]);
    // One VM dies while no server watches.
    process.kill(diesPid, 'SIGKILL');
    await waitUntilGone(diesPid);

    const api = await fixture.start({ limits });
    const health = await api.call('GET', '/v1/health');
    expect(health.body.recovered).toEqual({ adopted: ['keep', 'sleeper'], cleanedUp: ['dies'] });
    expect(existsSync(path.join(fixture.stateDir, 'vms', 'dies'))).toBe(false);
    const keep = await api.call('GET', '/v1/vms/keep');
    expect(keep.body).toMatchObject({
      id: 'keep',
      state: 'running',
      pid: pids.get('keep'),
      labels: { id: 'keep' },
      adopted: true,
    });
    expect((await api.call('GET', '/v1/vms/sleeper')).body.state).toBe('paused');
    expect((await api.call('GET', '/v1/vms/dies')).status).toBe(404);

    // The typed routes and the passthrough work on a re-adopted VM.
    expect((await api.call('POST', '/v1/vms/sleeper/resume')).body.state).toBe('running');
    expect((await api.call('POST', '/v1/vms/keep/pause')).body.state).toBe('paused');
    const snapshot = await api.call('POST', '/v1/vms/keep/snapshots', {
      snapshotPath: 'keep.state',
      memoryPath: 'keep.mem',
    });
    expect(snapshot.status).toBe(201);
    expect((await api.call('GET', '/v1/vms/keep')).body.state).toBe('paused');
    const config = await api.call('GET', '/v1/vms/keep/firecracker/machine-config');
    expect(config.body).toMatchObject({ vcpu_count: 1, mem_size_mib: 128 });
    // Its metrics FIFO is read again: a flush shows up in the Prometheus text.
    await api.call('PUT', '/v1/vms/sleeper/firecracker/actions', { action_type: 'FlushMetrics' });
    await expect
      .poll(async () => (await api.call('GET', '/v1/metrics')).text, { timeout: TEST_WAIT_MS })
      .toMatch(/^firecracker_put_api_requests_actions_count_total\{vm_id="sleeper"\} [1-9]/mu);
    const stopped = await api.call('POST', '/v1/vms/sleeper/stop', { timeoutMs: TEST_WAIT_MS });
    expect(stopped.body).toMatchObject({ state: 'exited', exit: { reason: 'unknown' } });

    for (const id of ['keep', 'sleeper']) {
      expect((await api.call('DELETE', `/v1/vms/${id}`)).status).toBe(204);
    }
    expect([...pids.values()].filter((pid) => isAlive(pid))).toEqual([]);
    expect(await readdir(path.join(fixture.stateDir, 'vms'))).toEqual([]);
  });

  it('after SIGTERM: leaves its VMs running by default, and the next server adopts them', async () => {
    await using fixture = await ServerFixture.create();
    const first = await ServerProcess.start(fixture.config({ limits }));
    const before = callerOn(fixture);
    const created = await before.call('POST', '/v1/vms', fixture.vmBody({ id: 'stays' }));
    await before.dispatcher.close();
    // A clean exit, the socket gone, the VM left for the next server.
    expect(await first.stop('SIGTERM')).toEqual([0, null]);
    expect(isAlive(created.body.pid as number)).toBe(true);
    expect(existsSync(path.join(fixture.stateDir, 'server.sock'))).toBe(false);

    const api = await fixture.start({ limits });
    expect((await api.call('GET', '/v1/health')).body.recovered).toEqual({
      adopted: ['stays'],
      cleanedUp: [],
    });
    // No `Vm` of its own to reach the guest through: the guest routes refuse it, naming the fix.
    const exec = await api.call('POST', '/v1/vms/stays/exec', { argv: ['true'] });
    expect(exec.status).toBe(409);
    expect(exec.body.error?.code).toBe('ERR_WRONG_STATE');
    expect(exec.body.error?.message).toContain('re-adopted');
    expect((await api.call('DELETE', '/v1/vms/stays')).status).toBe(204);
    expect(isAlive(created.body.pid as number)).toBe(false);
  });

  it('after SIGTERM with shutdownVmsOnExit: shuts its VMs down and removes them', async () => {
    await using fixture = await ServerFixture.create();
    const first = await ServerProcess.start(fixture.config({ limits, shutdownVmsOnExit: true }));
    const before = callerOn(fixture);
    const created = await before.call('POST', '/v1/vms', fixture.vmBody({ id: 'goes' }));
    await before.dispatcher.close();
    const said = first.nextLine();
    expect(await first.stop('SIGTERM')).toEqual([0, null]);
    expect(await said).toEqual({ stopped: 'SIGTERM' });
    expect(isAlive(created.body.pid as number)).toBe(false);
    expect(await readdir(path.join(fixture.stateDir, 'vms'))).toEqual([]);
  });
});
