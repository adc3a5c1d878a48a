// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { ProcessSpawner } from '@kindling/spawner';
import { JailerArguments, ResourceSystem, VmmArguments, parseVmmId } from '@kindling/vmm-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JailedExecutor, UnrestrictedExecutor } from '../src/index.js';
import {
  createHarness,
  isRoot,
  jailOwner,
  jailOwnership,
  listTree,
  waitForSocket,
  type Harness,
} from './support/harness.js';

// Security cases for symbolic links planted where Kindling puts, removes or binds something: in
// an old jail, above the jail, at the API socket's path, at a created file's path. Kindling never
// follows one to write or delete outside: it refuses, or removes the link itself.

let harness: Harness;
let outside: string;

beforeEach(async () => {
  harness = await createHarness();
  // What a link points at: a folder of someone's with a file that must stay as it is.
  outside = path.join(harness.dir, 'outside');
  await mkdir(path.join(outside, 'vm-sec/root'), { recursive: true });
  await writeFile(path.join(outside, 'secret'), 'secret');
  await writeFile(path.join(outside, 'vm-sec/root/keep'), 'keep');
});

afterEach(async () => {
  await harness.dispose();
});

const OUTSIDE_TREE = ['secret', 'vm-sec', 'vm-sec/root', 'vm-sec/root/keep'];

const expectOutsideUntouched = async () => {
  expect(await listTree(outside)).toEqual(OUTSIDE_TREE);
  expect(await readFile(path.join(outside, 'secret'), 'utf8')).toBe('secret');
  expect(await readFile(path.join(outside, 'vm-sec/root/keep'), 'utf8')).toBe('keep');
};

const jailBase = () => path.join(harness.dir, 'jails');
const jailDir = () => path.join(jailBase(), 'firecracker/vm-sec');

const createJailedExecutor = (vmmArguments = new VmmArguments()) =>
  new JailedExecutor({
    vmmArguments,
    jailerArguments: new JailerArguments({
      id: parseVmmId('vm-sec'),
      execFile: harness.installation.firecrackerPath,
      ...jailOwner,
      chrootBaseDir: jailBase(),
    }),
  });

// A spawner that, when the resource system makes a FIFO (half-way through laying out a jail),
// first lets the jail's user try to plant a link to the outside in the jail's root, and records
// how that went and what the root looked like then.
const createPlantingSpawner = (
  direct: ProcessSpawner,
  root: string,
  attempts: { status: number | null; mode: number; uid: number }[],
): ProcessSpawner => ({
  spawn: async (binary, args, options) => {
    if (binary === 'mkfifo') {
      const info = await lstat(root);
      const planted = spawnSync('ln', ['-s', outside, path.join(root, 'later')], {
        uid: jailOwner.uid,
        gid: jailOwner.gid,
        stdio: 'ignore',
      });
      attempts.push({ status: planted.status, mode: info.mode & 0o777, uid: info.uid });
    }
    return direct.spawn(binary, args, options);
  },
});

// An unrestricted executor with its API socket at `apiSocket` and, if given, a log FIFO.
const createUnrestricted = (apiSocket: string, logPath?: string) => {
  const context = harness.createContext();
  const log =
    logPath === undefined
      ? undefined
      : context.resourceSystem.createResource(logPath, { kind: 'created', fileType: 'fifo' });
  const executor = new UnrestrictedExecutor({
    vmmArguments: new VmmArguments({
      apiSocket,
      id: parseVmmId('vm-sec'),
      ...(log === undefined ? {} : { logPath: log }),
    }),
  });
  return { context, executor };
};

describe('links planted in and above the jail', () => {
  it('clears an old jail full of links pointing out without following any', async () => {
    const root = path.join(jailDir(), 'root');
    await mkdir(root, { recursive: true });
    for (const [name, target] of [
      ['logs', outside],
      ['run', outside],
      ['dev', outside],
      ['vmlinux', path.join(outside, 'secret')],
      ['firecracker.pid', path.join(outside, 'secret')],
    ]) {
      await symlink(String(target), path.join(root, String(name)));
    }
    const context = harness.createContext(jailOwnership);
    const kernel = context.resourceSystem.createResource(
      await harness.writeUserFile('images/vmlinux', 'kernel'),
      { kind: 'moved', method: 'hard-link' },
    );
    const log = context.resourceSystem.createResource('/logs/fc.log', {
      kind: 'created',
      fileType: 'file',
    });
    const executor = createJailedExecutor(new VmmArguments({ logPath: log }));
    await executor.prepare(context);
    expect((await lstat(path.join(root, 'logs'))).isDirectory()).toBe(true);
    expect((await lstat(kernel.effectivePath)).isFile()).toBe(true);
    expect(await readFile(kernel.effectivePath, 'utf8')).toBe('kernel');
    const handle = harness.track(await executor.invoke(context));
    await waitForSocket(path.join(root, 'run/firecracker.socket'));
    await expectOutsideUntouched();
    handle.kill();
    await handle.wait();
    await executor.cleanup(context);
    await expectOutsideUntouched();
    expect(existsSync(jailDir())).toBe(false);
  });

  it('removes a jail folder that is a link pointing out, not what it points at', async () => {
    await mkdir(path.dirname(jailDir()), { recursive: true });
    await symlink(path.join(outside, 'vm-sec'), jailDir());
    const context = harness.createContext(jailOwnership);
    const executor = createJailedExecutor();
    await executor.prepare(context);
    expect((await lstat(jailDir())).isDirectory()).toBe(true);
    await executor.cleanup(context);
    await expectOutsideUntouched();
  });

  it('refuses an exec folder above the jail that is a link, touching nothing (ERR_PREPARE_FAILED)', async () => {
    // Removing <base>/firecracker/vm-sec through it would remove outside/vm-sec.
    await mkdir(jailBase());
    await symlink(outside, path.join(jailBase(), 'firecracker'));
    const context = harness.createContext(jailOwnership);
    await expect(createJailedExecutor().prepare(context)).rejects.toMatchObject({
      code: 'ERR_PREPARE_FAILED',
      message: expect.stringContaining('is a symbolic link'),
    });
    await expectOutsideUntouched();
    expect(await readlink(path.join(jailBase(), 'firecracker'))).toBe(outside);
  });

  it('refuses an exec folder above the jail that others can write to (ERR_PREPARE_FAILED)', async () => {
    const execDir = path.join(jailBase(), 'firecracker');
    await mkdir(path.join(execDir, 'vm-sec'), { recursive: true });
    await writeFile(path.join(execDir, 'vm-sec/theirs'), 'theirs');
    await chmod(execDir, 0o777);
    const context = harness.createContext(jailOwnership);
    await expect(createJailedExecutor().prepare(context)).rejects.toMatchObject({
      code: 'ERR_PREPARE_FAILED',
      message: expect.stringContaining('not a folder of ours that only we can write to'),
    });
    expect(await listTree(execDir)).toEqual(['vm-sec', 'vm-sec/theirs']);
  });

  it.skipIf(!isRoot)(
    'keeps the jail private while resources go in: the jail user cannot plant a link (needs root to be another user)',
    async () => {
      const root = path.join(jailDir(), 'root');
      const attempts: { status: number | null; mode: number; uid: number }[] = [];
      const direct = harness.spawner;
      const plantingSpawner = createPlantingSpawner(direct, root, attempts);
      const resourceSystem = new ResourceSystem({
        ownership: jailOwnership,
        spawner: plantingSpawner,
      });
      const context = { installation: harness.installation, spawner: direct, resourceSystem };
      const metrics = resourceSystem.createResource('/metrics.fifo', {
        kind: 'created',
        fileType: 'fifo',
      });
      resourceSystem.createResource('/later/fc.log', { kind: 'created', fileType: 'file' });
      const executor = createJailedExecutor(new VmmArguments({ metricsPath: metrics }));
      await executor.prepare(context);
      expect(attempts).toEqual([{ status: 1, mode: 0o700, uid: 0 }]);
      expect((await lstat(path.join(root, 'later'))).isDirectory()).toBe(true);
      // Once everything is in place the jail is its user's, as the jailer leaves it.
      expect((await lstat(root)).uid).toBe(jailOwner.uid);
      await executor.cleanup(context);
      await expectOutsideUntouched();
    },
  );
});

describe('links planted at the API socket and created files (unrestricted)', () => {
  it.each([
    ['a file outside', () => path.join(outside, 'secret')],
    ['a path that does not exist yet', () => path.join(outside, 'made-by-following')],
  ])('refuses an API socket path that is a link to %s (ERR_PREPARE_FAILED)', async (_what, to) => {
    const socketPath = path.join(harness.dir, 'api.sock');
    await symlink(to(), socketPath);
    const { context, executor } = createUnrestricted(socketPath);
    await expect(executor.prepare(context)).rejects.toMatchObject({
      code: 'ERR_PREPARE_FAILED',
      message: expect.stringContaining('is not a socket'),
    });
    expect(await readlink(socketPath)).toBe(to());
    await expectOutsideUntouched();
  });

  it('refuses an API socket path that is a link to a live socket elsewhere', async () => {
    const server = createServer();
    const live = path.join(outside, 'live.sock');
    await new Promise<void>((resolve) => {
      server.listen(live, resolve);
    });
    try {
      const socketPath = path.join(harness.dir, 'api.sock');
      await symlink(live, socketPath);
      const { context, executor } = createUnrestricted(socketPath);
      await expect(executor.prepare(context)).rejects.toMatchObject({
        code: 'ERR_PREPARE_FAILED',
      });
      expect((await lstat(live)).isSocket()).toBe(true);
    } finally {
      await new Promise((resolve) => {
        server.close(resolve);
      });
    }
  });

  it.each([
    ['a file outside', () => path.join(outside, 'secret')],
    ['a path that does not exist yet', () => path.join(outside, 'made-by-following')],
  ])('refuses a log FIFO path that is a link to %s, removing nothing', async (_what, to) => {
    const logPath = path.join(harness.dir, 'logs/fc.fifo');
    await mkdir(path.dirname(logPath));
    await symlink(to(), logPath);
    const { context, executor } = createUnrestricted(path.join(harness.dir, 'api.sock'), logPath);
    await expect(executor.prepare(context)).rejects.toMatchObject({
      code: 'ERR_PREPARE_FAILED',
      message: expect.stringContaining('already exists'),
    });
    expect(await readlink(logPath)).toBe(to());
    await expectOutsideUntouched();
  });
});
