// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { isAlive, isRoot, TEST_WAIT_MS } from '@kindling/test-utils';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { ApiCaller, ServerFixture } from './support/server-fixture.js';
import { ServerProcess } from './support/server-process.js';

const limits = { socketWaitTimeoutMs: TEST_WAIT_MS };
const jailed = { kind: 'jailed', uid: 65_534, gid: 65_534 };

describe.skipIf(!isRoot)('jailed VMs (skipped unless root: the jailer needs it)', () => {
  it('are created, paused, snapshotted and deleted with nothing left behind', async () => {
    await using fixture = await ServerFixture.create({ mode: 0o755 });
    const api = await fixture.start({ limits });
    const created = await api.call(
      'POST',
      '/v1/vms',
      fixture.vmBody({ id: 'jail', executor: jailed }),
    );
    expect(created.body).toMatchObject({ id: 'jail', state: 'running', jailed: true });
    expect(created.body.apiSocket).toBe(
      path.join(
        fixture.stateDir,
        'jail',
        'firecracker',
        'jail',
        'root',
        'run',
        'firecracker.socket',
      ),
    );
    expect((await api.call('POST', '/v1/vms/jail/pause')).body.state).toBe('paused');
    const snapshot = await api.call('POST', '/v1/vms/jail/snapshots', {
      snapshotPath: 'jail.state',
      memoryPath: 'jail.mem',
    });
    expect(snapshot.status).toBe(201);
    expect((await api.call('DELETE', '/v1/vms/jail')).status).toBe(204);
    expect(isAlive(created.body.pid as number)).toBe(false);
    expect(await fixture.folder.leftovers()).toEqual([
      'images',
      'images/vmlinux',
      'srv',
      'srv/server.sock (socket)',
      'srv/snapshots',
      'srv/snapshots/jail.mem',
      'srv/snapshots/jail.state',
      'srv/vms',
    ]);
  });

  it('are re-adopted after a SIGKILL of the server, and removed with their jail', async () => {
    await using fixture = await ServerFixture.create({ mode: 0o755 });
    const first = await ServerProcess.start(fixture.config({ limits }));
    const before = new ApiCaller(
      'http://localhost',
      new Agent({ connect: { socketPath: path.join(fixture.stateDir, 'server.sock') } }),
    );
    const created = await before.call(
      'POST',
      '/v1/vms',
      fixture.vmBody({ id: 'jail', executor: jailed }),
    );
    await before.dispatcher.close();
    expect(await first.stop('SIGKILL')).toEqual([null, 'SIGKILL']);

    const api = await fixture.start({ limits });
    expect((await api.call('GET', '/v1/vms/jail')).body).toMatchObject({
      state: 'running',
      jailed: true,
      adopted: true,
      pid: created.body.pid,
    });
    expect((await api.call('POST', '/v1/vms/jail/pause')).body.state).toBe('paused');
    expect((await api.call('DELETE', '/v1/vms/jail')).status).toBe(204);
    expect(isAlive(created.body.pid as number)).toBe(false);
    expect(await fixture.folder.leftovers()).toEqual([
      'images',
      'images/vmlinux',
      'srv',
      'srv/server.sock (socket)',
      'srv/vms',
    ]);
  });
});
