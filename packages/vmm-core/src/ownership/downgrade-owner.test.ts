// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lstat, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downgradeOwner } from './downgrade-owner.js';

const isRoot = process.geteuid?.() === 0;
const NOBODY = 65_534;

const ownerOf = async (target: string): Promise<[number, number]> => {
  const stats = await lstat(target);
  return [stats.uid, stats.gid];
};

describe('downgradeOwner', () => {
  let dir: string;
  let tree: string;
  let outside: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kindling-downgrade-'));
    tree = path.join(dir, 'tree');
    outside = path.join(dir, 'outside');
    await mkdir(path.join(tree, 'nested'), { recursive: true });
    await writeFile(path.join(tree, 'nested', 'file'), 'x');
    await writeFile(outside, 'not part of the tree');
    await symlink(outside, path.join(tree, 'link'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!isRoot)(
    'hands a whole tree to the uid and gid, links themselves and never their targets (needs root)',
    async () => {
      await downgradeOwner(tree, { kind: 'downgraded', uid: NOBODY, gid: NOBODY });
      for (const entry of ['', 'nested', 'nested/file', 'link']) {
        expect(await ownerOf(path.join(tree, entry))).toStrictEqual([NOBODY, NOBODY]);
      }
      expect(await ownerOf(outside)).toStrictEqual([0, 0]);
    },
  );

  it.skipIf(!isRoot)('changes only the path itself when not recursive (needs root)', async () => {
    await downgradeOwner(
      tree,
      { kind: 'downgraded', uid: NOBODY, gid: NOBODY },
      { recursive: false },
    );
    expect(await ownerOf(tree)).toStrictEqual([NOBODY, NOBODY]);
    expect(await ownerOf(path.join(tree, 'nested'))).toStrictEqual([0, 0]);
  });

  it('changes nothing for the shared and upgraded-permanently models', async () => {
    const before = await ownerOf(path.join(tree, 'nested', 'file'));
    await downgradeOwner(tree, { kind: 'shared' });
    await downgradeOwner(tree, { kind: 'upgraded-permanently' });
    expect(await ownerOf(path.join(tree, 'nested', 'file'))).toStrictEqual(before);
  });

  it.skipIf(!isRoot)(
    'gives the tree back to the control process for upgraded-temporarily (needs root)',
    async () => {
      await downgradeOwner(tree, { kind: 'downgraded', uid: NOBODY, gid: NOBODY });
      await downgradeOwner(tree, { kind: 'upgraded-temporarily' });
      expect(await ownerOf(path.join(tree, 'nested', 'file'))).toStrictEqual([
        process.geteuid?.(),
        process.getegid?.(),
      ]);
    },
  );

  it('reports a failure with the path and the system error code', async () => {
    const missing = path.join(dir, 'missing');
    await expect(
      downgradeOwner(missing, { kind: 'downgraded', uid: NOBODY, gid: NOBODY }),
    ).rejects.toMatchObject({
      code: 'ERR_OWNERSHIP_CHANGE',
      message: `Could not change the owner of ${missing} to ${NOBODY}:${NOBODY} (ENOENT)`,
      cause: expect.objectContaining({ code: 'ENOENT' }),
    });
  });

  it('rejects bad arguments naming the field', async () => {
    await expect(downgradeOwner('', { kind: 'shared' })).rejects.toThrow(
      /^downgradeOwner\.path: expected an absolute path/u,
    );
    await expect(downgradeOwner(tree, { kind: 'downgraded', uid: -5, gid: 0 })).rejects.toThrow(
      /^downgradeOwner\.model\.uid: .*got -5$/u,
    );
    await expect(
      downgradeOwner(tree, { kind: 'shared' }, { recursive: 'yes' } as never),
    ).rejects.toThrow('downgradeOwner.options.recursive: expected a boolean, got "yes"');
  });
});
