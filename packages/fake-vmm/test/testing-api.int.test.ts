// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFakeEnv, FakeVmmError, startFakeFirecracker } from '../src/index.js';
import { apiRequest } from './support/raw-api.js';
import { isGone, isRoot } from './support/run-bin.js';

describe('buildFakeEnv', () => {
  it('maps typed switches to their variables', () => {
    expect(
      buildFakeEnv({
        socketDelayMs: 5,
        exitRules: [{ point: 'after-requests', afterRequests: 2, outcome: { signal: 'SIGKILL' } }],
        ctrlAltDel: { kind: 'ignore' },
        vsockServices: new Map([[5000, 'echo']]),
        cgroupRoot: '/tmp/cg',
      }),
    ).toEqual({
      KINDLING_FAKE_SOCKET_DELAY_MS: '5',
      KINDLING_FAKE_EXIT: 'after-requests=2:SIGKILL',
      KINDLING_FAKE_CTRL_ALT_DEL: 'ignore',
      KINDLING_FAKE_VSOCK_SERVICES: '5000=echo',
      KINDLING_FAKE_CGROUP_ROOT: '/tmp/cg',
    });
  });

  it('names the option whose value the fakes would not read back', () => {
    expect(() => buildFakeEnv({ bootDelayMs: -1 })).toThrow(/^options\.bootDelayMs: /u);
    expect(() => buildFakeEnv({ socketDelayMs: 1.5 })).toThrow(/^options\.socketDelayMs: /u);
    expect(() => buildFakeEnv({ bootMarker: 'two\nlines' })).toThrow(/^options\.bootMarker: /u);
    expect(() => buildFakeEnv({ journalPath: 'relative.ndjson' })).toThrow(
      /^options\.journalPath: /u,
    );
    expect(() =>
      buildFakeEnv({ exitRules: [{ point: 'after-requests', outcome: { exitCode: 1 } }] }),
    ).toThrow(/^options\.exitRules\[0\]\.afterRequests: /u);
  });
});

describe('startFakeFirecracker', () => {
  it('serves the API and leaves no process or file behind after stop()', async () => {
    const fake = await startFakeFirecracker({ journal: true });
    expect((await apiRequest(fake.socketPath, 'GET', '/')).status).toBe(200);
    const journal = await fake.readJournal();
    expect(journal.map((record) => [record.method, record.path, record.status])).toContainEqual([
      'GET',
      '/',
      200,
    ]);
    await fake.stop();
    await fake.stop();
    expect(await isGone(fake.pid)).toBe(true);
    expect(existsSync(fake.dir)).toBe(false);
    expect(await fake.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('cleans up at the end of an await using block', async () => {
    let pid = 0;
    let dir = '';
    {
      await using fake = await startFakeFirecracker({ id: 'disposed' });
      ({ pid, dir } = fake);
      expect(fake.id).toBe('disposed');
    }
    expect(await isGone(pid)).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it('reports a fake that dies before its socket, and removes what it started', async () => {
    const error = await startFakeFirecracker({
      fake: { exitRules: [{ point: 'startup', outcome: { exitCode: 3 } }] },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FakeVmmError);
    expect(error).toMatchObject({ code: 'ERR_FAKE_START_FAILED' });
    expect((error as Error).message).toContain('exited with code 3');
  });

  it('times out on a socket that comes too late', async () => {
    await expect(
      startFakeFirecracker({ fake: { socketDelayMs: 5000 }, socketTimeoutMs: 100 }),
    ).rejects.toMatchObject({ code: 'ERR_FAKE_SOCKET_TIMEOUT' });
  });

  it('runs under the fake jailer, attached or detached, and stops it all', async () => {
    for (const jailer of [true, { daemonize: true }, { newPidNs: true }] as const) {
      const fake = await startFakeFirecracker({ jailer });
      expect(fake.chrootDir).toBeDefined();
      expect(fake.socketPath).toBe(path.join(fake.chrootDir!, 'run', 'firecracker.socket'));
      expect((await apiRequest(fake.socketPath, 'GET', '/')).status).toBe(200);
      await fake.stop();
      expect(await isGone(fake.pid)).toBe(true);
      expect(existsSync(fake.dir)).toBe(false);
    }
  });

  it.skipIf(!isRoot)('runs a jailed fake as another uid', async () => {
    await using fake = await startFakeFirecracker({ jailer: { uid: 65_534, gid: 65_534 } });
    expect((await stat(fake.socketPath)).uid).toBe(65_534);
  });
});
