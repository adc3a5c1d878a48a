// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessSpawner } from '@kindling/spawner';
import { chown, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingSpawner } from '../../test/support/recording-spawner.js';
import { upgradeOwner } from './upgrade-owner.js';

const isRoot = process.geteuid?.() === 0;
const NOBODY = 65_534;
const owner = `${process.geteuid?.()}:${process.getegid?.()}`;

describe('upgradeOwner', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kindling-upgrade-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('spawns nothing for the shared and downgraded models', async () => {
    const spawner = new RecordingSpawner();
    await upgradeOwner(dir, { kind: 'shared' }, spawner);
    await upgradeOwner(dir, { kind: 'downgraded', uid: 1, gid: 1 }, spawner);
    expect(spawner.calls).toStrictEqual([]);
  });

  it('runs chown -R to the control process through the spawner for both upgraded models', async () => {
    const spawner = new RecordingSpawner();
    await upgradeOwner(dir, { kind: 'upgraded-permanently' }, spawner);
    await upgradeOwner(dir, { kind: 'upgraded-temporarily' }, spawner);
    expect(spawner.calls).toStrictEqual([
      { binary: 'chown', args: ['-R', owner, '--', dir] },
      { binary: 'chown', args: ['-R', owner, '--', dir] },
    ]);
  });

  it.skipIf(!isRoot)('reclaims a whole tree the VMM owned (needs root)', async () => {
    const nested = path.join(dir, 'jail', 'root');
    await mkdir(nested, { recursive: true });
    const file = path.join(nested, 'fc.log');
    await writeFile(file, 'log');
    for (const target of [path.join(dir, 'jail'), nested, file]) {
      await chown(target, NOBODY, NOBODY);
    }
    await upgradeOwner(
      path.join(dir, 'jail'),
      { kind: 'upgraded-temporarily' },
      new RecordingSpawner(),
    );
    for (const target of [path.join(dir, 'jail'), nested, file]) {
      expect((await stat(target)).uid).toBe(0);
    }
  });

  it('reports a failed chown with its exit and its own words', async () => {
    const missing = path.join(dir, 'missing');
    await expect(
      upgradeOwner(missing, { kind: 'upgraded-permanently' }, new RecordingSpawner()),
    ).rejects.toMatchObject({
      code: 'ERR_OWNERSHIP_CHANGE',
      message: expect.stringMatching(
        /chown -R .*missing exited with code 1: chown: .*No such file/su,
      ),
    });
  });

  it('reports a spawner that cannot start chown, with its error as the cause', async () => {
    const cause = new Error('sudo: a password is required');
    const failing: ProcessSpawner = {
      spawn: () => Promise.reject(cause),
    };
    await expect(
      upgradeOwner(dir, { kind: 'upgraded-temporarily' }, failing),
    ).rejects.toMatchObject({
      code: 'ERR_OWNERSHIP_CHANGE',
      message: expect.stringContaining('sudo: a password is required'),
      cause,
    });
  });

  it('kills a chown that outlives the timeout and says so', async () => {
    const hanging = new RecordingSpawner(() => ({ binary: 'sleep', args: ['30'] }));
    const startedAt = performance.now();
    await expect(
      upgradeOwner(dir, { kind: 'upgraded-permanently' }, hanging, { timeoutMs: 200 }),
    ).rejects.toMatchObject({
      code: 'ERR_OWNERSHIP_CHANGE',
      message: expect.stringContaining('did not finish within 200 ms'),
    });
    expect(performance.now() - startedAt).toBeLessThan(5_000);
  });

  it('rejects with the reason when the signal aborts', async () => {
    const hanging = new RecordingSpawner(() => ({ binary: 'sleep', args: ['30'] }));
    const controller = new AbortController();
    const reason = new Error('stop');
    const upgrading = upgradeOwner(dir, { kind: 'upgraded-permanently' }, hanging, {
      signal: controller.signal,
    });
    controller.abort(reason);
    await expect(upgrading).rejects.toBe(reason);
  });

  it('rejects bad arguments before spawning anything', async () => {
    const spawner = new RecordingSpawner();
    await expect(
      upgradeOwner('relative/path', { kind: 'upgraded-permanently' }, spawner),
    ).rejects.toThrow(
      'upgradeOwner.path: expected an absolute path without NUL bytes, got "relative/path"',
    );
    await expect(
      upgradeOwner(dir, { kind: 'upgraded-permanently' }, {} as ProcessSpawner),
    ).rejects.toThrow(/^upgradeOwner\.spawner: expected a ProcessSpawner/u);
    await expect(
      upgradeOwner(dir, { kind: 'upgraded-permanently' }, spawner, { timeoutMs: 0 }),
    ).rejects.toThrow(/^upgradeOwner\.options\.timeoutMs: expected a positive integer, got 0$/u);
    expect(spawner.calls).toStrictEqual([]);
  });
});
