// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import {
  chown,
  link,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { carryOutDisposalPlan, disposalPlanSchema } from './disposal-plan.js';
import { planDisposal } from './plan-disposal.js';
import { ResourceSystem } from './resource-system.js';

const isRoot = process.geteuid?.() === 0;
const NOBODY = 65_534;

describe('planDisposal and carryOutDisposalPlan', () => {
  let dir: string;
  let jail: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kindling-disposal-plan-'));
    jail = path.join(dir, 'jail', 'root');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('plans what disposeAll removes, and carrying it out leaves only the user files', async () => {
    const kernel = path.join(dir, 'vmlinux');
    const rootfs = path.join(dir, 'rootfs.ext4');
    const used = path.join(dir, 'used-in-place.img');
    await writeFile(kernel, 'kernel');
    await writeFile(rootfs, 'rootfs');
    await writeFile(used, 'used');
    const system = new ResourceSystem();
    const log = system.createResource(path.join(dir, 'fc.log'), {
      kind: 'created',
      fileType: 'file',
    });
    const socket = system.createResource(path.join(dir, 'v.sock'), { kind: 'produced' });
    const linked = system.createResource(kernel, { kind: 'moved', method: 'hard-link' });
    const renamed = system.createResource(rootfs, { kind: 'moved', method: 'rename' });
    const inPlace = system.createResource(used, { kind: 'moved', method: 'rename' });
    const never = system.createResource(path.join(dir, 'never.log'), {
      kind: 'created',
      fileType: 'file',
    });
    await system.initialize(log, { effectivePath: path.join(jail, 'logs', 'deep', 'fc.log') });
    await system.initialize(socket, { effectivePath: path.join(jail, 'v.sock') });
    await system.initialize(linked, { effectivePath: path.join(jail, 'vmlinux') });
    await system.initialize(renamed, { effectivePath: path.join(jail, 'rootfs.ext4') });
    await system.initialize(inPlace);
    expect(never.state).toBe('uninitialized');

    const plan = planDisposal(system);
    expect(plan).toStrictEqual({
      files: [path.join(jail, 'logs', 'deep', 'fc.log'), path.join(jail, 'v.sock')],
      links: [{ path: path.join(jail, 'vmlinux') }],
      moveBack: [{ path: path.join(jail, 'rootfs.ext4'), home: rootfs }],
      folders: [
        path.join(jail, 'logs', 'deep'),
        path.join(jail, 'logs'),
        jail,
        path.join(dir, 'jail'),
      ],
    });
    // As written to a record and read back.
    expect(disposalPlanSchema.parse(JSON.parse(JSON.stringify(plan)))).toStrictEqual(plan);

    const outcome = carryOutDisposalPlan(plan);
    expect(outcome.failures).toStrictEqual([]);
    expect(existsSync(path.join(dir, 'jail'))).toBe(false);
    expect(await readFile(kernel, 'utf8')).toBe('kernel');
    expect(await readFile(rootfs, 'utf8')).toBe('rootfs');
    expect(await readFile(used, 'utf8')).toBe('used');
    // Carried out twice, it finds nothing left to do.
    expect(carryOutDisposalPlan(plan)).toStrictEqual({ removed: [], failures: [] });
  });

  it('keeps a folder made for a resource when something else was put in it', async () => {
    const system = new ResourceSystem();
    const log = system.createResource(path.join(jail, 'fc.log'), {
      kind: 'created',
      fileType: 'file',
    });
    await system.initialize(log);
    await writeFile(path.join(jail, 'mine.txt'), 'not Kindling');
    const outcome = carryOutDisposalPlan(planDisposal(system));
    expect(outcome).toStrictEqual({ removed: [path.join(jail, 'fc.log')], failures: [] });
    expect(await readFile(path.join(jail, 'mine.txt'), 'utf8')).toBe('not Kindling');
  });

  it('removes a symlink put in place of a file, never its target', async () => {
    const system = new ResourceSystem();
    const log = system.createResource(path.join(jail, 'fc.log'), {
      kind: 'created',
      fileType: 'file',
    });
    await system.initialize(log);
    const precious = path.join(dir, 'precious');
    await writeFile(precious, 'keep');
    await rm(path.join(jail, 'fc.log'));
    await symlink(precious, path.join(jail, 'fc.log'));
    expect(carryOutDisposalPlan(planDisposal(system)).failures).toStrictEqual([]);
    expect(await readFile(precious, 'utf8')).toBe('keep');
    expect(existsSync(jail)).toBe(false);
  });

  it('reports a user file that cannot go home, and keeps it and its folder', async () => {
    const rootfs = path.join(dir, 'rootfs.ext4');
    await writeFile(rootfs, 'rootfs');
    const system = new ResourceSystem();
    const renamed = system.createResource(rootfs, { kind: 'moved', method: 'rename' });
    await system.initialize(renamed, { effectivePath: path.join(jail, 'rootfs.ext4') });
    await writeFile(rootfs, 'taken');
    const outcome = carryOutDisposalPlan(planDisposal(system));
    expect(outcome.failures.map((failure) => failure.message)).toStrictEqual([
      `${path.join(jail, 'rootfs.ext4')}: ${rootfs} is taken, so ${path.join(jail, 'rootfs.ext4')} cannot be moved back: move it by hand`,
    ]);
    expect(await readFile(path.join(jail, 'rootfs.ext4'), 'utf8')).toBe('rootfs');
  });

  it.skipIf(!isRoot)(
    '[root only: chown] gives a hard-linked and a renamed file their owner back',
    async () => {
      const kernel = path.join(dir, 'vmlinux');
      const rootfs = path.join(dir, 'rootfs.ext4');
      await writeFile(kernel, 'kernel');
      await writeFile(rootfs, 'rootfs');
      await mkdir(jail, { recursive: true });
      const system = new ResourceSystem({
        ownership: { kind: 'downgraded', uid: NOBODY, gid: NOBODY },
      });
      const linked = system.createResource(kernel, { kind: 'moved', method: 'hard-link' });
      const renamed = system.createResource(rootfs, { kind: 'moved', method: 'rename' });
      await system.initialize(linked, { effectivePath: path.join(jail, 'vmlinux') });
      await system.initialize(renamed, { effectivePath: path.join(jail, 'rootfs.ext4') });
      expect((await lstat(kernel)).uid).toBe(NOBODY);
      const plan = planDisposal(system);
      expect(plan.links).toStrictEqual([
        {
          path: path.join(jail, 'vmlinux'),
          ownerChange: {
            original: { uid: 0, gid: 0 },
            given: { uid: NOBODY, gid: NOBODY },
            linksBefore: 1,
            inode: expect.stringMatching(/^\d+:\d+$/u),
          },
        },
      ]);
      expect(carryOutDisposalPlan(plan).failures).toStrictEqual([]);
      expect([(await lstat(kernel)).uid, (await lstat(kernel)).nlink]).toStrictEqual([0, 1]);
      expect((await lstat(rootfs)).uid).toBe(0);
    },
  );

  it.skipIf(!isRoot)(
    '[root only: chown] gives no owner back to another file put in place of the link',
    async () => {
      const kernel = path.join(dir, 'vmlinux');
      const other = path.join(dir, 'other');
      await writeFile(kernel, 'kernel');
      await writeFile(other, 'other');
      await chown(other, NOBODY, NOBODY);
      await mkdir(jail, { recursive: true });
      const system = new ResourceSystem({
        ownership: { kind: 'downgraded', uid: NOBODY, gid: NOBODY },
      });
      const linked = system.createResource(kernel, { kind: 'moved', method: 'hard-link' });
      await system.initialize(linked, { effectivePath: path.join(jail, 'vmlinux') });
      const plan = planDisposal(system);
      // The jail's user swaps the link for one to a file of its own.
      await rm(path.join(jail, 'vmlinux'));
      await link(other, path.join(jail, 'vmlinux'));
      expect(carryOutDisposalPlan(plan).failures).toStrictEqual([]);
      expect((await lstat(other)).uid).toBe(NOBODY);
      expect(existsSync(path.join(jail, 'vmlinux'))).toBe(false);
    },
  );
});
