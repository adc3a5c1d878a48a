// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chown, link, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MoveMethod } from './resource-type.js';
import { ResourceSystem } from './resource-system.js';

const isRoot = process.geteuid?.() === 0;
const NOBODY = 65_534;
// The user's own ids, which the shared file must end up with again.
const USER = 4_321;
const OTHER_JAIL = 1_234;

const ownerOf = async (target: string): Promise<[number, number]> => {
  const stats = await stat(target);
  return [stats.uid, stats.gid];
};

// Only root can hand a file to another user: every test here needs it.
describe.skipIf(!isRoot)('ResourceSystem hard links shared between systems (needs root)', () => {
  let dir: string;
  let rootfs: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kindling-links-'));
    rootfs = path.join(dir, 'rootfs.ext4');
    await writeFile(rootfs, 'rootfs bytes');
    await chown(rootfs, USER, USER);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const linkInto = async (
    jail: string,
    uid: number,
    method: MoveMethod = 'hard-link',
  ): Promise<ResourceSystem> => {
    const system = new ResourceSystem({ ownership: { kind: 'downgraded', uid, gid: uid } });
    const resource = system.createResource(rootfs, { kind: 'moved', method });
    await system.initialize(resource, { effectivePath: path.join(dir, jail, 'rootfs.ext4') });
    return system;
  };

  it.each([
    { firstOut: 'first', lastOut: 'second' },
    { firstOut: 'second', lastOut: 'first' },
  ] as const)(
    'keeps the file the VMM user’s while either VM runs, and gives it back when the last one ($lastOut) ends',
    async ({ firstOut, lastOut }) => {
      const systems = {
        first: await linkInto('jail-1', NOBODY),
        second: await linkInto('jail-2', NOBODY),
      };
      expect(await ownerOf(rootfs)).toStrictEqual([NOBODY, NOBODY]);
      expect((await stat(rootfs)).nlink).toBe(3);
      await systems[firstOut].disposeAll();
      // The other VM still runs: its file must stay the VMM user's.
      expect(await ownerOf(rootfs)).toStrictEqual([NOBODY, NOBODY]);
      await systems[lastOut].disposeAll();
      expect(await ownerOf(rootfs)).toStrictEqual([USER, USER]);
      expect((await stat(rootfs)).nlink).toBe(1);
    },
  );

  it('refuses to take the file from a VM whose user differs, and leaves it that VM', async () => {
    const first = await linkInto('jail-1', NOBODY);
    await expect(linkInto('jail-2', OTHER_JAIL)).rejects.toMatchObject({
      code: 'ERR_RESOURCE_MOVE',
      message: expect.stringMatching(
        /already linked for another VMM and owned by 65534:65534: .*'copy'/u,
      ),
    });
    expect(await ownerOf(rootfs)).toStrictEqual([NOBODY, NOBODY]);
    expect((await stat(rootfs)).nlink).toBe(2);
    await first.disposeAll();
    expect(await ownerOf(rootfs)).toStrictEqual([USER, USER]);
  });

  it('copies instead with hard-link-or-copy when the file is handed to another user', async () => {
    const first = await linkInto('jail-1', NOBODY);
    const second = await linkInto('jail-2', OTHER_JAIL, 'hard-link-or-copy');
    const copy = path.join(dir, 'jail-2', 'rootfs.ext4');
    expect((await stat(copy)).ino).not.toBe((await stat(rootfs)).ino);
    expect(await ownerOf(copy)).toStrictEqual([OTHER_JAIL, OTHER_JAIL]);
    expect(await readFile(copy, 'utf8')).toBe('rootfs bytes');
    expect(await ownerOf(rootfs)).toStrictEqual([NOBODY, NOBODY]);
    await second.disposeAll();
    await first.disposeAll();
    expect(await ownerOf(rootfs)).toStrictEqual([USER, USER]);
  });

  it('never changes the owner of a file with links it does not know (e.g. another process)', async () => {
    await link(rootfs, path.join(dir, 'elsewhere.ext4'));
    await expect(linkInto('jail-1', NOBODY)).rejects.toMatchObject({
      code: 'ERR_RESOURCE_MOVE',
      message: expect.stringMatching(/has 2 links .*'copy'/u),
    });
    expect(await ownerOf(rootfs)).toStrictEqual([USER, USER]);
    expect((await stat(rootfs)).nlink).toBe(2);
    const system = await linkInto('jail-1', NOBODY, 'hard-link-or-copy');
    expect((await stat(rootfs)).nlink).toBe(2);
    await system.disposeAll();
    expect(await ownerOf(rootfs)).toStrictEqual([USER, USER]);
  });

  it('links a file that is already the VMM user’s without changing or restoring anything', async () => {
    await chown(rootfs, NOBODY, NOBODY);
    await link(rootfs, path.join(dir, 'elsewhere.ext4'));
    const system = await linkInto('jail-1', NOBODY);
    expect((await stat(rootfs)).nlink).toBe(3);
    await system.disposeAll();
    expect(await ownerOf(rootfs)).toStrictEqual([NOBODY, NOBODY]);
    expect((await stat(rootfs)).nlink).toBe(2);
  });

  it('leaves the owner alone on disposal when someone changed it meanwhile', async () => {
    const system = await linkInto('jail-1', NOBODY);
    await chown(rootfs, 7, 7);
    await system.disposeAll();
    expect(await ownerOf(rootfs)).toStrictEqual([7, 7]);
  });

  it('keeps the file the VMM user’s when another link appeared meanwhile', async () => {
    const system = await linkInto('jail-1', NOBODY);
    // A link Kindling does not know about, e.g. another process's jail.
    await link(rootfs, path.join(dir, 'elsewhere.ext4'));
    await system.disposeAll();
    expect(await ownerOf(rootfs)).toStrictEqual([NOBODY, NOBODY]);
    expect((await stat(rootfs)).nlink).toBe(2);
  });

  it('gives a renamed file its owner back only when it still has the one it was given', async () => {
    const system = new ResourceSystem({
      ownership: { kind: 'downgraded', uid: NOBODY, gid: NOBODY },
    });
    const resource = system.createResource(rootfs, { kind: 'moved', method: 'rename' });
    await system.initialize(resource, { effectivePath: path.join(dir, 'jail', 'rootfs.ext4') });
    await chown(resource.effectivePath, 7, 7);
    await system.disposeAll();
    expect(await ownerOf(rootfs)).toStrictEqual([7, 7]);
  });
});
