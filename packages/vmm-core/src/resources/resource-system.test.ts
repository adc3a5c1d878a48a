// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync, statSync } from 'node:fs';
import { lstat, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingSpawner } from '../../test/support/recording-spawner.js';
import type { ResourceTarget } from './resource-system-options.js';
import { ResourceSystem } from './resource-system.js';
import { Resource } from './resource.js';

const isRoot = process.geteuid?.() === 0;
const NOBODY = 65_534;
// /dev/shm is a tmpfs; the temp folder is usually on the root filesystem.
const SHM = '/dev/shm';
const crossDevice = existsSync(SHM) && statSync(SHM).dev !== statSync(tmpdir()).dev;

describe('ResourceSystem', () => {
  let dir: string;
  let jail: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kindling-resources-'));
    jail = path.join(dir, 'jail', 'root');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('created resources', () => {
    it('creates an empty private file in a new directory, then deletes it on disposal', async () => {
      const system = new ResourceSystem();
      const resource = system.createResource(path.join(dir, 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      expect(resource.state).toBe('uninitialized');
      expect(() => resource.effectivePath).toThrow(
        expect.objectContaining({ code: 'ERR_RESOURCE_STATE' }),
      );
      const effectivePath = path.join(jail, 'logs', 'fc.log');
      await system.initialize(resource, { effectivePath, virtualPath: '/logs/fc.log' });
      expect(resource.state).toBe('initialized');
      expect(resource.effectivePath).toBe(effectivePath);
      expect(resource.virtualPath).toBe('/logs/fc.log');
      const stats = await stat(effectivePath);
      expect(stats.isFile()).toBe(true);
      expect(stats.size).toBe(0);
      expect(stats.mode & 0o777).toBe(0o600);
      expect(existsSync(resource.initialPath)).toBe(false);

      await system.dispose(resource);
      expect(resource.state).toBe('disposed');
      expect(existsSync(effectivePath)).toBe(false);
      expect(() => resource.virtualPath).toThrow(/while it is disposed/u);
    });

    it('creates a FIFO with mkfifo(1) through the spawner, then deletes it', async () => {
      const spawner = new RecordingSpawner();
      const system = new ResourceSystem({ spawner });
      const resource = system.createResource(path.join(dir, 'metrics.fifo'), {
        kind: 'created',
        fileType: 'fifo',
      });
      await system.initialize(resource);
      // Without an effective path the resource stays where it is, and the VMM sees that path.
      expect(resource.effectivePath).toBe(resource.initialPath);
      expect(resource.virtualPath).toBe(resource.initialPath);
      const stats = await lstat(resource.initialPath);
      expect(stats.isFIFO()).toBe(true);
      expect(stats.mode & 0o777).toBe(0o600);
      expect(spawner.calls).toStrictEqual([
        { binary: 'mkfifo', args: ['-m', '600', '--', resource.initialPath] },
      ]);
      await system.dispose(resource);
      expect(existsSync(resource.initialPath)).toBe(false);
    });

    it('refuses a path that is taken and leaves the file there alone', async () => {
      const taken = path.join(dir, 'taken.log');
      await writeFile(taken, 'the user wrote this');
      const system = new ResourceSystem();
      const resource = system.createResource(taken, { kind: 'created', fileType: 'fifo' });
      await expect(system.initialize(resource)).rejects.toMatchObject({
        code: 'ERR_RESOURCE_CREATE',
        message: expect.stringMatching(/taken\.log already exists .*choose another path/u),
      });
      expect(resource.state).toBe('uninitialized');
      await system.disposeAll();
      expect(await readFile(taken, 'utf8')).toBe('the user wrote this');
    });

    it.skipIf(!isRoot)('hands the file to the downgraded user (needs root)', async () => {
      const system = new ResourceSystem({
        ownership: { kind: 'downgraded', uid: NOBODY, gid: NOBODY },
      });
      const resource = system.createResource(path.join(dir, 'fc.fifo'), {
        kind: 'created',
        fileType: 'fifo',
      });
      await system.initialize(resource);
      const stats = await lstat(resource.effectivePath);
      expect([stats.uid, stats.gid]).toStrictEqual([NOBODY, NOBODY]);
    });

    it('rejects with the reason and leaves nothing when aborted while mkfifo runs', async () => {
      const controller = new AbortController();
      const hanging = new RecordingSpawner(() => {
        controller.abort(new Error('stop'));
        return { binary: 'sleep', args: ['30'] };
      });
      const system = new ResourceSystem({ spawner: hanging });
      const resource = system.createResource(path.join(dir, 'm.fifo'), {
        kind: 'created',
        fileType: 'fifo',
      });
      await expect(system.initialize(resource, { signal: controller.signal })).rejects.toThrow(
        'stop',
      );
      expect(resource.state).toBe('uninitialized');
      expect(existsSync(resource.initialPath)).toBe(false);
    });
  });

  describe('moved resources', () => {
    let kernel: string;
    beforeEach(async () => {
      kernel = path.join(dir, 'vmlinux');
      await writeFile(kernel, 'kernel bytes');
    });

    it('copies into place and deletes only the copy on disposal', async () => {
      const system = new ResourceSystem();
      const resource = system.createResource(kernel, { kind: 'moved', method: 'copy' });
      const effectivePath = path.join(jail, 'vmlinux');
      await system.initialize(resource, { effectivePath, virtualPath: 'vmlinux' });
      expect(await readFile(effectivePath, 'utf8')).toBe('kernel bytes');
      expect((await stat(effectivePath)).ino).not.toBe((await stat(kernel)).ino);
      await system.dispose(resource);
      expect(existsSync(effectivePath)).toBe(false);
      expect(await readFile(kernel, 'utf8')).toBe('kernel bytes');
    });

    it('hard-links into place and drops only the link on disposal', async () => {
      const system = new ResourceSystem();
      const resource = system.createResource(kernel, { kind: 'moved', method: 'hard-link' });
      const effectivePath = path.join(jail, 'vmlinux');
      await system.initialize(resource, { effectivePath });
      const [linked, original] = await Promise.all([stat(effectivePath), stat(kernel)]);
      expect(linked.ino).toBe(original.ino);
      expect(original.nlink).toBe(2);
      await system.dispose(resource);
      expect(existsSync(effectivePath)).toBe(false);
      expect((await stat(kernel)).nlink).toBe(1);
    });

    it('renames into place and moves the file back on disposal', async () => {
      const system = new ResourceSystem();
      const resource = system.createResource(kernel, { kind: 'moved', method: 'rename' });
      const inode = (await stat(kernel)).ino;
      const effectivePath = path.join(jail, 'vmlinux');
      await system.initialize(resource, { effectivePath });
      expect(existsSync(kernel)).toBe(false);
      expect((await stat(effectivePath)).ino).toBe(inode);
      await system.dispose(resource);
      expect(existsSync(effectivePath)).toBe(false);
      expect((await stat(kernel)).ino).toBe(inode);
    });

    it('keeps a renamed file in place when its initial path was taken meanwhile', async () => {
      const system = new ResourceSystem();
      const resource = system.createResource(kernel, { kind: 'moved', method: 'rename' });
      const effectivePath = path.join(jail, 'vmlinux');
      await system.initialize(resource, { effectivePath });
      await writeFile(kernel, 'someone else');
      await expect(system.dispose(resource)).rejects.toMatchObject({
        code: 'ERR_RESOURCE_DISPOSE',
        message: expect.stringContaining('is taken'),
      });
      expect(resource.state).toBe('initialized');
      expect(await readFile(effectivePath, 'utf8')).toBe('kernel bytes');
      await rm(kernel);
      await system.dispose(resource);
      expect(await readFile(kernel, 'utf8')).toBe('kernel bytes');
    });

    it('falls back to a hard link when a copy is impossible (a FIFO cannot be copied)', async () => {
      const fifo = path.join(dir, 'source.fifo');
      const helper = new ResourceSystem();
      await helper.initialize(helper.createResource(fifo, { kind: 'created', fileType: 'fifo' }));
      const system = new ResourceSystem();
      const copyOnly = system.createResource(fifo, { kind: 'moved', method: 'copy' });
      await expect(
        system.initialize(copyOnly, { effectivePath: path.join(jail, 'copied.fifo') }),
      ).rejects.toMatchObject({
        code: 'ERR_RESOURCE_MOVE',
        message: expect.stringContaining('is not a regular file'),
      });
      const resource = system.createResource(fifo, { kind: 'moved', method: 'copy-or-hard-link' });
      const effectivePath = path.join(jail, 'linked.fifo');
      await system.initialize(resource, { effectivePath });
      expect((await lstat(effectivePath)).ino).toBe((await lstat(fifo)).ino);
      await system.disposeAll();
      await helper.disposeAll();
      expect(existsSync(effectivePath)).toBe(false);
      expect(existsSync(fifo)).toBe(false);
    });

    it('hard-links on one filesystem with hard-link-or-copy', async () => {
      const system = new ResourceSystem();
      const resource = system.createResource(kernel, {
        kind: 'moved',
        method: 'hard-link-or-copy',
      });
      await system.initialize(resource, { effectivePath: path.join(jail, 'vmlinux') });
      expect((await stat(resource.effectivePath)).ino).toBe((await stat(kernel)).ino);
    });

    it('uses the file in place when the effective path is the initial path, and keeps it', async () => {
      const system = new ResourceSystem();
      const resource = system.createResource(kernel, { kind: 'moved', method: 'rename' });
      await system.initialize(resource, { virtualPath: '/vmlinux' });
      expect(resource.effectivePath).toBe(kernel);
      expect(resource.virtualPath).toBe('/vmlinux');
      await system.dispose(resource);
      expect(await readFile(kernel, 'utf8')).toBe('kernel bytes');
    });

    it('names a missing source and puts nothing in place', async () => {
      const system = new ResourceSystem();
      const missing = path.join(dir, 'rootfs.ext4');
      const resource = system.createResource(missing, { kind: 'moved', method: 'copy' });
      await expect(
        system.initialize(resource, { effectivePath: path.join(jail, 'rootfs.ext4') }),
      ).rejects.toMatchObject({
        code: 'ERR_RESOURCE_MOVE',
        message: expect.stringContaining(`find ${missing}`),
        cause: expect.objectContaining({ code: 'ENOENT' }),
      });
      expect(existsSync(path.join(jail, 'rootfs.ext4'))).toBe(false);
    });

    it('never overwrites what is already at the effective path', async () => {
      const system = new ResourceSystem();
      const effectivePath = path.join(dir, 'occupied');
      await writeFile(effectivePath, 'keep me');
      for (const method of ['copy', 'hard-link', 'rename'] as const) {
        const resource = system.createResource(kernel, { kind: 'moved', method });
        await expect(system.initialize(resource, { effectivePath })).rejects.toMatchObject({
          code: 'ERR_RESOURCE_MOVE',
        });
      }
      expect(await readFile(effectivePath, 'utf8')).toBe('keep me');
      expect(await readFile(kernel, 'utf8')).toBe('kernel bytes');
    });

    it.skipIf(!isRoot)(
      'gives a hard-linked or renamed file back its owner on disposal (needs root)',
      async () => {
        const system = new ResourceSystem({
          ownership: { kind: 'downgraded', uid: NOBODY, gid: NOBODY },
        });
        const drive = path.join(dir, 'drive.ext4');
        await writeFile(drive, 'drive');
        const linked = system.createResource(kernel, { kind: 'moved', method: 'hard-link' });
        const renamed = system.createResource(drive, { kind: 'moved', method: 'rename' });
        const copied = system.createResource(kernel, { kind: 'moved', method: 'copy' });
        const targets = new Map([
          [linked, path.join(jail, 'vmlinux')],
          [renamed, path.join(jail, 'drive.ext4')],
          [copied, path.join(jail, 'copy-vmlinux')],
        ]);
        await system.initializeAll((resource) => ({ effectivePath: targets.get(resource) }));
        for (const resource of [linked, renamed, copied]) {
          expect((await stat(resource.effectivePath)).uid).toBe(NOBODY);
        }
        await system.disposeAll();
        expect((await stat(kernel)).uid).toBe(0);
        expect((await stat(drive)).uid).toBe(0);
      },
    );
  });

  describe('produced resources', () => {
    it.skipIf(!isRoot)(
      'makes the directory for the VMM, hands only what it made to the VMM user, and removes the file (needs root)',
      async () => {
        const system = new ResourceSystem({
          ownership: { kind: 'downgraded', uid: NOBODY, gid: NOBODY },
        });
        const resource = system.createResource(path.join(dir, 'snapshot', 'vm.state'), {
          kind: 'produced',
        });
        const effectivePath = path.join(jail, 'snapshots', 'vm.state');
        await system.initialize(resource, { effectivePath });
        expect(existsSync(effectivePath)).toBe(false);
        expect((await stat(path.join(jail, 'snapshots'))).uid).toBe(NOBODY);
        expect((await stat(jail)).uid).toBe(NOBODY);
        expect((await stat(dir)).uid).toBe(0);
        // The VMM writes the snapshot.
        await writeFile(effectivePath, 'state');
        await system.dispose(resource);
        expect(existsSync(effectivePath)).toBe(false);
      },
    );

    it('disposes of a produced file that was never produced', async () => {
      const system = new ResourceSystem();
      const resource = system.createResource(path.join(dir, 'v.sock'), { kind: 'produced' });
      await system.initialize(resource);
      await system.dispose(resource);
      expect(resource.state).toBe('disposed');
    });

    it('refuses a path that already exists, since disposal would delete it', async () => {
      const existing = path.join(dir, 'mem.snap');
      await writeFile(existing, 'old');
      const system = new ResourceSystem();
      const resource = system.createResource(existing, { kind: 'produced' });
      await expect(system.initialize(resource)).rejects.toMatchObject({
        code: 'ERR_RESOURCE_CREATE',
      });
      expect(await readFile(existing, 'utf8')).toBe('old');
    });
  });

  describe('across filesystems', () => {
    let shmDir: string;
    beforeEach(async () => {
      shmDir = crossDevice ? await mkdtemp(path.join(SHM, 'kindling-resources-')) : dir;
    });
    afterEach(async () => {
      await rm(shmDir, { recursive: true, force: true });
    });

    it.skipIf(!crossDevice)(
      'copies where a hard link cannot cross devices (needs /dev/shm on another filesystem than the temp dir)',
      async () => {
        const source = path.join(shmDir, 'rootfs.ext4');
        await writeFile(source, 'rootfs bytes');
        const system = new ResourceSystem();
        const linkOnly = system.createResource(source, { kind: 'moved', method: 'hard-link' });
        await expect(
          system.initialize(linkOnly, { effectivePath: path.join(jail, 'linked.ext4') }),
        ).rejects.toMatchObject({
          code: 'ERR_RESOURCE_MOVE',
          message: expect.stringContaining('different filesystems'),
          cause: expect.objectContaining({ code: 'EXDEV' }),
        });
        const renamed = system.createResource(source, { kind: 'moved', method: 'rename' });
        await expect(
          system.initialize(renamed, { effectivePath: path.join(jail, 'renamed.ext4') }),
        ).rejects.toMatchObject({ code: 'ERR_RESOURCE_MOVE' });
        expect(await readFile(source, 'utf8')).toBe('rootfs bytes');

        const resource = system.createResource(source, {
          kind: 'moved',
          method: 'hard-link-or-copy',
        });
        const effectivePath = path.join(jail, 'rootfs.ext4');
        await system.initialize(resource, { effectivePath });
        const [placed, original] = await Promise.all([stat(effectivePath), stat(source)]);
        expect(placed.dev).not.toBe(original.dev);
        expect(await readFile(effectivePath, 'utf8')).toBe('rootfs bytes');
        await system.disposeAll();
        expect(existsSync(effectivePath)).toBe(false);
        expect(await readFile(source, 'utf8')).toBe('rootfs bytes');
      },
    );
  });

  describe('initializeAll and disposeAll', () => {
    it('initialises every resource at its target and disposes them all with await using', async () => {
      const kernel = path.join(dir, 'vmlinux');
      await writeFile(kernel, 'k');
      let effective: string[] = [];
      {
        await using system = new ResourceSystem();
        const resources = [
          system.createResource(kernel, { kind: 'moved', method: 'copy' }),
          system.createResource('/logs/fc.log', { kind: 'created', fileType: 'file' }),
          system.createResource('/metrics.fifo', { kind: 'created', fileType: 'fifo' }),
          system.createResource('/v.sock', { kind: 'produced' }),
        ];
        // A jailed executor's rule: created and produced paths are inside the jail already.
        const inJail = new Map(
          resources.map((resource) => [resource, resource.initialPath.replace(dir, '')]),
        );
        await system.initializeAll((resource) => ({
          effectivePath: path.join(jail, String(inJail.get(resource))),
          virtualPath: inJail.get(resource),
        }));
        expect(resources.map((resource) => resource.virtualPath)).toStrictEqual([
          '/vmlinux',
          '/logs/fc.log',
          '/metrics.fifo',
          '/v.sock',
        ]);
        effective = resources.map((resource) => resource.effectivePath);
        expect(effective.slice(0, 3).every((file) => existsSync(file))).toBe(true);
      }
      expect(effective.some((file) => existsSync(file))).toBe(false);
      expect(existsSync(kernel)).toBe(true);
    });

    it('is all or nothing: one failure undoes the others and reaches the caller', async () => {
      const system = new ResourceSystem();
      const log = system.createResource(path.join(dir, 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      system.createResource(path.join(dir, 'missing'), { kind: 'moved', method: 'copy' });
      await expect(
        system.initializeAll((resource) => ({
          effectivePath: path.join(jail, path.basename(resource.initialPath)),
        })),
      ).rejects.toMatchObject({ code: 'ERR_RESOURCE_MOVE' });
      expect(log.state).toBe('uninitialized');
      expect(existsSync(path.join(jail, 'fc.log'))).toBe(false);
    });

    it('reports several failures as one error whose cause holds them all', async () => {
      const system = new ResourceSystem();
      system.createResource(path.join(dir, 'a'), { kind: 'moved', method: 'copy' });
      system.createResource(path.join(dir, 'b'), { kind: 'moved', method: 'rename' });
      const error: unknown = await system
        .initializeAll((resource) => ({ effectivePath: `${resource.initialPath}.placed` }))
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        code: 'ERR_RESOURCE_MOVE',
        message: expect.stringMatching(
          /^2 resources could not be initialised:\n- .*find .*\/a: .*\n- .*find .*\/b: /u,
        ),
        cause: expect.any(AggregateError),
      });
      expect((error as { cause: AggregateError }).cause.errors).toHaveLength(2);
    });

    it('checks every target before writing anything', async () => {
      const system = new ResourceSystem();
      const log = system.createResource(path.join(dir, 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      const fifo = system.createResource(path.join(dir, 'm.fifo'), {
        kind: 'created',
        fileType: 'fifo',
      });
      const targets = new Map<Resource, ResourceTarget>([
        [log, { effectivePath: path.join(jail, 'fc.log') }],
        [fifo, { effectivePath: 'relative/m.fifo' }],
      ]);
      await expect(
        system.initializeAll((resource) => targets.get(resource) as ResourceTarget),
      ).rejects.toThrow(
        /^initializeAll\.targets\[1\] \(.*m\.fifo\)\.effectivePath: expected an absolute path without NUL bytes, got "relative\/m\.fifo"$/u,
      );
      expect(existsSync(jail)).toBe(false);
    });

    it('disposes of everything it can and reports every failure together', async () => {
      const system = new ResourceSystem();
      const files = ['a', 'b'].map((name) => path.join(dir, name));
      await Promise.all(files.map((file) => writeFile(file, file)));
      const renamed = files.map((file) =>
        system.createResource(file, { kind: 'moved', method: 'rename' }),
      );
      const log = system.createResource(path.join(dir, 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      await system.initializeAll((resource) => ({
        effectivePath: path.join(jail, path.basename(resource.initialPath)),
      }));
      await Promise.all(files.map((file) => writeFile(file, 'taken')));
      const error: unknown = await system.disposeAll().catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        code: 'ERR_RESOURCE_DISPOSE',
        message: expect.stringMatching(/^2 resources could not be disposed:/u),
        cause: expect.any(AggregateError),
      });
      expect(log.state).toBe('disposed');
      expect(existsSync(path.join(jail, 'fc.log'))).toBe(false);
      expect(renamed.map((resource) => resource.state)).toStrictEqual([
        'initialized',
        'initialized',
      ]);
    });
  });

  describe('states and input', () => {
    it('rejects initialising twice, or while initialising, with ERR_RESOURCE_STATE', async () => {
      const system = new ResourceSystem();
      const resource = system.createResource(path.join(dir, 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      const first = system.initialize(resource);
      await expect(system.initialize(resource)).rejects.toMatchObject({
        code: 'ERR_RESOURCE_STATE',
        message: expect.stringContaining('is initializing'),
      });
      await first;
      await expect(system.initialize(resource)).rejects.toMatchObject({
        code: 'ERR_RESOURCE_STATE',
        message: expect.stringContaining('is initialized'),
      });
      await system.dispose(resource);
      await system.dispose(resource);
      expect(resource.state).toBe('disposed');
    });

    it("rejects another system's resource and a hand-made one", async () => {
      const system = new ResourceSystem();
      const other = new ResourceSystem().createResource(path.join(dir, 'x'), { kind: 'produced' });
      await expect(system.initialize(other)).rejects.toMatchObject({
        code: 'ERR_INVALID_INPUT',
        message: expect.stringContaining("another system's produced resource"),
      });
      await expect(
        system.dispose(new Resource(path.join(dir, 'y'), { kind: 'produced' })),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    });

    it('rejects bad input naming the field, the value and the rule, and writes nothing', async () => {
      const system = new ResourceSystem();
      expect(() => system.createResource('fc.log', { kind: 'produced' })).toThrow(
        'createResource.initialPath: expected an absolute path without NUL bytes, got "fc.log"',
      );
      expect(() =>
        system.createResource(path.join(dir, 'x'), { kind: 'moved', method: 'symlink' } as never),
      ).toThrow(/^createResource\.type\.method: expected 'copy', .*got "symlink"$/u);
      expect(() =>
        system.createResource(path.join(dir, 'x'), {
          kind: 'created',
          fileType: 'socket',
        } as never),
      ).toThrow(/^createResource\.type\.fileType: expected 'file' or 'fifo', got "socket"$/u);
      const resource = system.createResource(path.join(dir, 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      await expect(system.initialize(resource, { virtualPath: '' })).rejects.toThrow(
        'initialize.options.virtualPath: expected a non-empty path without NUL bytes, got ""',
      );
      expect(system.resources).toStrictEqual([resource]);
      expect(existsSync(resource.initialPath)).toBe(false);
    });

    it('requires an elevated spawner for the upgraded models', () => {
      expect(() => new ResourceSystem({ ownership: { kind: 'upgraded-temporarily' } })).toThrow(
        "options.elevatedSpawner: required with ownership 'upgraded-temporarily': pass a SudoSpawner or SuSpawner, got nothing",
      );
      expect(() => new ResourceSystem({ toolTimeoutMs: -1 })).toThrow(
        'options.toolTimeoutMs: expected a positive integer, got -1',
      );
    });

    it('reclaims with the elevated spawner before removing, under an upgraded model', async () => {
      const elevatedSpawner = new RecordingSpawner();
      const system = new ResourceSystem({
        ownership: { kind: 'upgraded-permanently' },
        elevatedSpawner,
      });
      const log = system.createResource(path.join(dir, 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      const socket = system.createResource(path.join(dir, 'v.sock'), { kind: 'produced' });
      await system.initializeAll();
      expect(elevatedSpawner.calls).toStrictEqual([]);
      await system.disposeAll();
      // The socket was never produced: there is nothing to reclaim.
      expect(elevatedSpawner.calls).toStrictEqual([
        {
          binary: 'chown',
          args: ['-R', `${process.geteuid?.()}:${process.getegid?.()}`, '--', log.initialPath],
        },
      ]);
      expect(existsSync(log.initialPath)).toBe(false);
      expect(socket.state).toBe('disposed');
    });

    it('rejects with the reason of an already aborted signal and writes nothing', async () => {
      const system = new ResourceSystem();
      const resource = system.createResource(path.join(jail, 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      const reason = new Error('stop');
      await expect(system.initialize(resource, { signal: AbortSignal.abort(reason) })).rejects.toBe(
        reason,
      );
      expect(existsSync(jail)).toBe(false);
    });
  });
});
