// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResourceSystem } from './resource-system.js';

const isRoot = process.geteuid?.() === 0;
const NOBODY = 65_534;
const DOWNGRADED = { kind: 'downgraded', uid: NOBODY, gid: NOBODY } as const;

const ownerOf = async (target: string): Promise<number> => (await stat(target)).uid;

describe('ResourceSystem folders', () => {
  let dir: string;
  let jail: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kindling-folders-'));
    jail = path.join(dir, 'jail', 'root');
    await mkdir(jail, { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('handing folders to the VMM user', () => {
    it.skipIf(!isRoot)(
      'hands a folder a created file made to the VMM user once a produced file needs to write there (needs root)',
      async () => {
        const system = new ResourceSystem({ ownership: DOWNGRADED });
        const log = system.createResource(path.join(jail, 'logs', 'fc.log'), {
          kind: 'created',
          fileType: 'file',
        });
        const socket = system.createResource(path.join(jail, 'logs', 'v.sock'), {
          kind: 'produced',
        });
        await system.initialize(log);
        expect(await ownerOf(path.join(jail, 'logs'))).toBe(0);
        await system.initialize(socket);
        expect(await ownerOf(path.join(jail, 'logs'))).toBe(NOBODY);
        await system.disposeAll();
      },
    );

    it.skipIf(!isRoot)(
      'hands the folder over whatever the order, in parallel too, every time (needs root)',
      async () => {
        for (let round = 0; round < 5; round += 1) {
          const roundJail = path.join(jail, String(round));
          const system = new ResourceSystem({ ownership: DOWNGRADED });
          // A moved file and a created one in the same new folders as the produced socket.
          const kernel = path.join(dir, `vmlinux-${round}`);
          await writeFile(kernel, 'kernel');
          system.createResource(kernel, { kind: 'moved', method: 'copy' });
          system.createResource(path.join(dir, `fc-${round}.log`), {
            kind: 'created',
            fileType: 'fifo',
          });
          system.createResource(path.join(dir, `v-${round}.sock`), { kind: 'produced' });
          await system.initializeAll((resource) => ({
            effectivePath: path.join(roundJail, 'run', 'vm', path.basename(resource.initialPath)),
          }));
          expect(await ownerOf(path.join(roundJail, 'run', 'vm'))).toBe(NOBODY);
          expect(await ownerOf(path.join(roundJail, 'run'))).toBe(NOBODY);
          expect(await ownerOf(roundJail)).toBe(NOBODY);
          // The jail root existed before: it keeps its owner.
          expect(await ownerOf(jail)).toBe(0);
          await system.disposeAll();
        }
      },
    );

    it.skipIf(!isRoot)(
      'leaves a folder that existed before to its owner, and one only a created file needs (needs root)',
      async () => {
        await mkdir(path.join(jail, 'existing'));
        const system = new ResourceSystem({ ownership: DOWNGRADED });
        system.createResource(path.join(jail, 'existing', 'v.sock'), { kind: 'produced' });
        system.createResource(path.join(jail, 'logs', 'fc.log'), {
          kind: 'created',
          fileType: 'file',
        });
        await system.initializeAll();
        expect(await ownerOf(path.join(jail, 'existing'))).toBe(0);
        expect(await ownerOf(path.join(jail, 'logs'))).toBe(0);
        expect(await ownerOf(path.join(jail, 'logs', 'fc.log'))).toBe(NOBODY);
        await system.disposeAll();
      },
    );
  });

  describe('removing folders on disposal', () => {
    it('removes the folders it made for a created file, deepest first, and keeps older ones', async () => {
      const system = new ResourceSystem();
      const log = system.createResource(path.join(dir, 'demo', 'logs', 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      await system.initialize(log);
      expect(existsSync(log.initialPath)).toBe(true);
      await system.dispose(log);
      expect(existsSync(path.join(dir, 'demo'))).toBe(false);
      expect(existsSync(dir)).toBe(true);
    });

    it('removes the folders made for produced, copied, hard-linked and renamed files', async () => {
      const kernel = path.join(dir, 'vmlinux');
      const drive = path.join(dir, 'drive.ext4');
      const initrd = path.join(dir, 'initrd');
      await Promise.all([writeFile(kernel, 'k'), writeFile(drive, 'd'), writeFile(initrd, 'i')]);
      const system = new ResourceSystem();
      system.createResource(kernel, { kind: 'moved', method: 'copy' });
      system.createResource(drive, { kind: 'moved', method: 'rename' });
      system.createResource(initrd, { kind: 'moved', method: 'hard-link' });
      const snapshot = system.createResource(path.join(dir, 'mem.snap'), { kind: 'produced' });
      await system.initializeAll((resource) => ({
        effectivePath: path.join(jail, path.basename(resource.initialPath), 'file'),
      }));
      // The VMM writes the snapshot.
      await writeFile(snapshot.effectivePath, 'snapshot');
      await system.disposeAll();
      for (const name of ['vmlinux', 'drive.ext4', 'initrd', 'mem.snap']) {
        expect(existsSync(path.join(jail, name))).toBe(false);
      }
      // The jail root existed before: it stays, and so do the user's files.
      expect(existsSync(jail)).toBe(true);
      expect(existsSync(drive)).toBe(true);
      expect(existsSync(initrd)).toBe(true);
    });

    it('keeps a folder until the last resource in it is disposed of', async () => {
      const system = new ResourceSystem();
      const log = system.createResource(path.join(dir, 'demo', 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      const socket = system.createResource(path.join(dir, 'demo', 'v.sock'), {
        kind: 'produced',
      });
      await system.initializeAll();
      await system.dispose(log);
      expect(existsSync(path.join(dir, 'demo'))).toBe(true);
      await system.dispose(socket);
      expect(existsSync(path.join(dir, 'demo'))).toBe(false);
    });

    it('keeps a folder it made that holds something else, and its parents, without failing', async () => {
      const system = new ResourceSystem();
      const log = system.createResource(path.join(dir, 'demo', 'logs', 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      await system.initialize(log);
      // Firecracker makes its own files beside a produced one (e.g. `v.sock_52`).
      await writeFile(path.join(dir, 'demo', 'logs', 'other'), 'not a resource');
      await system.dispose(log);
      expect(log.state).toBe('disposed');
      expect(existsSync(log.initialPath)).toBe(false);
      expect(existsSync(path.join(dir, 'demo', 'logs', 'other'))).toBe(true);
    });

    it('removes the folders made for a resource whose initialisation failed', async () => {
      const system = new ResourceSystem();
      const log = system.createResource(path.join(dir, 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      system.createResource(path.join(dir, 'missing'), { kind: 'moved', method: 'copy' });
      await expect(
        system.initializeAll((resource) => ({
          effectivePath: path.join(dir, 'new', path.basename(resource.initialPath)),
        })),
      ).rejects.toMatchObject({ code: 'ERR_RESOURCE_MOVE' });
      expect(log.state).toBe('uninitialized');
      expect(existsSync(path.join(dir, 'new'))).toBe(false);
    });

    it('keeps a folder another system still uses, and removes it when that one is done', async () => {
      const first = new ResourceSystem();
      const second = new ResourceSystem();
      const log = first.createResource(path.join(dir, 'demo', 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      const snapshot = second.createResource(path.join(dir, 'demo', 'vm.snap'), {
        kind: 'produced',
      });
      await first.initialize(log);
      await second.initialize(snapshot);
      await first.disposeAll();
      // The second VMM has not written its snapshot yet: the folder must still be there.
      expect(existsSync(path.join(dir, 'demo'))).toBe(true);
      await writeFile(snapshot.effectivePath, 'snapshot');
      await second.disposeAll();
      expect(existsSync(path.join(dir, 'demo'))).toBe(false);
    });

    it('never removes a folder that was there before', async () => {
      await mkdir(path.join(dir, 'mine'));
      const system = new ResourceSystem();
      system.createResource(path.join(dir, 'mine', 'fc.log'), {
        kind: 'created',
        fileType: 'file',
      });
      system.createResource(path.join(dir, 'mine', 'v.sock'), { kind: 'produced' });
      await system.initializeAll();
      await system.disposeAll();
      expect(existsSync(path.join(dir, 'mine'))).toBe(true);
    });
  });
});
