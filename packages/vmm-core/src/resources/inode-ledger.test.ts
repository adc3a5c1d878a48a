// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chown, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InodeLedger } from './inode-ledger.js';

const isRoot = process.geteuid?.() === 0;
const NOBODY = { uid: 65_534, gid: 65_534 };

describe('InodeLedger', () => {
  let dir: string;
  let source: string;
  let ledger: InodeLedger;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kindling-inodes-'));
    source = path.join(dir, 'drive.ext4');
    await writeFile(source, 'drive');
    ledger = new InodeLedger();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('links without changing any owner when none is asked for, and drops only the link', async () => {
    const before = await stat(source);
    const hold = await ledger.link(source, path.join(dir, 'a'));
    const other = await ledger.link(source, path.join(dir, 'b'));
    expect((await stat(source)).nlink).toBe(3);
    await ledger.release(hold);
    await ledger.release(other);
    const after = await stat(source);
    expect([after.nlink, after.uid, after.gid]).toStrictEqual([1, before.uid, before.gid]);
  });

  it('leaves nothing behind when the target is taken', async () => {
    const target = path.join(dir, 'taken');
    await writeFile(target, 'mine');
    await expect(ledger.link(source, target)).rejects.toMatchObject({
      code: 'EEXIST',
    });
    expect((await stat(source)).nlink).toBe(1);
  });

  it.skipIf(!isRoot)(
    'forgets an inode whose links were all removed behind its back (needs root)',
    async () => {
      await chown(source, 7, 7);
      const link = path.join(dir, 'jail-link');
      await ledger.link(source, link, NOBODY);
      // The jail was removed by hand: the ledger's record of the inode is stale.
      await rm(link);
      await chown(source, 7, 7);
      const hold = await ledger.link(source, link, NOBODY);
      expect((await stat(source)).uid).toBe(NOBODY.uid);
      await ledger.release(hold);
      expect((await stat(source)).uid).toBe(7);
    },
  );
});
