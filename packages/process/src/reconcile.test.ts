// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sleepers, type ProcessIdentity } from '../test/support/sleepers.js';
import { planDisposal, ResourceSystem } from '@kindling/vmm-core';
import { isAlive } from '@kindling/test-utils';
import { describeOwner, writeProcessRecord, type ProcessRecord } from './process-records.js';
import { reconcile } from './reconcile.js';

let dir: string;
let stateDir: string;
let sleepers: Sleepers;

const leftovers = async (name: string): Promise<{ socketPath: string; jailPath: string }> => {
  const jailPath = path.join(dir, name, 'jail');
  await mkdir(path.join(jailPath, 'root', 'run'), { recursive: true });
  await writeFile(path.join(jailPath, 'root', 'rootfs.ext4'), 'disk');
  const socketPath = path.join(dir, name, 'api.sock');
  await writeFile(socketPath, '');
  return { socketPath, jailPath };
};

const recordOf = (
  target: ProcessIdentity,
  owner: ProcessRecord['owner'],
  paths: { socketPath: string; jailPath: string },
): ProcessRecord => ({
  pid: target.pid,
  startTime: target.startTime,
  owner,
  kind: 'detached',
  ...paths,
  recordedAt: new Date().toISOString(),
});

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-reconcile-'));
  stateDir = path.join(dir, 'state');
  sleepers = new Sleepers();
});

afterEach(async () => {
  await sleepers.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('reconcile', () => {
  it('kills what a dead owner left running and removes its socket, jail and record', async () => {
    const target = await sleepers.start();
    const paths = await leftovers('orphan');
    await writeProcessRecord(stateDir, recordOf(target, await sleepers.ended(), paths));
    const report = await reconcile({ stateDir });
    expect(report).toEqual({
      reconciled: [
        {
          pid: target.pid,
          kind: 'detached',
          killed: true,
          found: 'running',
          removedPaths: [paths.socketPath, paths.jailPath],
        },
      ],
      skipped: 0,
    });
    expect(isAlive(target.pid)).toBe(false);
    expect(existsSync(paths.jailPath)).toBe(false);
    expect(existsSync(paths.socketPath)).toBe(false);
    expect(await readdir(stateDir)).toEqual([]);
  });

  it('removes what the VMM cleanup would: created files, folders made for them, extra files', async () => {
    const target = await sleepers.start();
    const kernel = path.join(dir, 'vmlinux');
    await writeFile(kernel, 'kernel');
    const files = new ResourceSystem();
    const log = files.createResource(path.join(dir, 'vm', 'logs', 'fc.log'), {
      kind: 'created',
      fileType: 'file',
    });
    const metrics = files.createResource(path.join(dir, 'vm', 'fc.metrics'), {
      kind: 'created',
      fileType: 'file',
    });
    files.createResource(kernel, { kind: 'moved', method: 'hard-link' });
    await files.initializeAll();
    const listener = path.join(dir, 'v.sock_52');
    await writeFile(listener, '');
    const socketPath = path.join(dir, 'api.sock');
    await writeFile(socketPath, '');
    await writeProcessRecord(stateDir, {
      ...recordOf(target, await sleepers.ended(), { socketPath, jailPath: path.join(dir, 'none') }),
      disposal: planDisposal(files),
      extraPaths: [listener],
    });
    const report = await reconcile({ stateDir });
    expect(report.reconciled[0]?.removedPaths).toEqual([
      socketPath,
      listener,
      log.effectivePath,
      metrics.effectivePath,
      path.join(dir, 'vm', 'logs'),
      path.join(dir, 'vm'),
    ]);
    expect(await readdir(dir)).toEqual(['state', 'vmlinux']);
    expect(await readdir(stateDir)).toEqual([]);
  });

  it('never kills a process whose start time differs (a reused pid), says so, and removes the files', async () => {
    const stranger = await sleepers.start();
    const paths = await leftovers('reused');
    await writeProcessRecord(
      stateDir,
      recordOf(
        { pid: stranger.pid, startTime: stranger.startTime + 1 },
        await sleepers.ended(),
        paths,
      ),
    );
    const report = await reconcile({ stateDir });
    expect(report.reconciled.map(({ pid, killed, found }) => ({ pid, killed, found }))).toEqual([
      { pid: stranger.pid, killed: false, found: 'pid-reused' },
    ]);
    expect(isAlive(stranger.pid)).toBe(true);
    expect(existsSync(paths.jailPath)).toBe(false);
  });

  it('says a process that had already ended was gone, and removes its files', async () => {
    const ended = await sleepers.ended();
    const paths = await leftovers('gone');
    await writeProcessRecord(stateDir, recordOf(ended, await sleepers.ended(), paths));
    const report = await reconcile({ stateDir });
    expect(report.reconciled.map(({ pid, killed, found }) => ({ pid, killed, found }))).toEqual([
      { pid: ended.pid, killed: false, found: 'gone' },
    ]);
    expect(existsSync(paths.jailPath)).toBe(false);
  });

  it('leaves alone the records of an owner that still runs', async () => {
    const target = await sleepers.start();
    const paths = await leftovers('owned');
    await writeProcessRecord(stateDir, recordOf(target, await describeOwner(), paths));
    expect(await reconcile({ stateDir })).toEqual({ reconciled: [], skipped: 1 });
    expect(isAlive(target.pid)).toBe(true);
    expect(existsSync(paths.jailPath)).toBe(true);
    expect(await readdir(stateDir)).toHaveLength(1);
  });

  it('reconciles every good record before failing with ERR_RECONCILE for a bad one', async () => {
    const target = await sleepers.start();
    await writeProcessRecord(
      stateDir,
      recordOf(target, await sleepers.ended(), await leftovers('a')),
    );
    await writeFile(path.join(stateDir, '1-1.json'), '{"pid":');
    const error: unknown = await reconcile({ stateDir }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'ERR_RECONCILE' });
    expect((error as Error).message).toContain('1-1.json is not a Kindling process record');
    expect((error as Error).cause).toBeInstanceOf(AggregateError);
    expect(isAlive(target.pid)).toBe(false);
    expect(await readdir(stateDir)).toEqual(['1-1.json']);
  });

  it('finds nothing to do in a missing state folder', async () => {
    expect(await reconcile({ stateDir: path.join(dir, 'none') })).toEqual({
      reconciled: [],
      skipped: 0,
    });
  });

  it('refuses a state folder that others can write to', async () => {
    await mkdir(stateDir);
    await chmod(stateDir, 0o777);
    await expect(reconcile({ stateDir })).rejects.toMatchObject({ code: 'ERR_STATE_RECORD' });
  });
});
