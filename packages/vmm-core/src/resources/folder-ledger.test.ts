// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderLedger } from './folder-ledger.js';

const isRoot = process.geteuid?.() === 0;
const NOBODY = { uid: 65_534, gid: 65_534 };
const OTHER = { uid: 1_234, gid: 1_234 };

describe('FolderLedger', () => {
  let dir: string;
  let ledger: FolderLedger;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kindling-ledger-'));
    ledger = new FolderLedger();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('holds only the folders it made, deepest first, and removes them when let go of', async () => {
    await mkdir(path.join(dir, 'old'));
    const maker = {};
    const hold = await ledger.acquire(path.join(dir, 'old', 'a', 'b'), {
      maker,
      owner: undefined,
      writable: false,
    });
    expect(hold.folders.map((folder) => folder.path)).toStrictEqual([
      path.join(dir, 'old', 'a', 'b'),
      path.join(dir, 'old', 'a'),
    ]);
    const again = await ledger.acquire(path.join(dir, 'old', 'a'), {
      maker,
      owner: undefined,
      writable: false,
    });
    await ledger.release(hold);
    expect(existsSync(path.join(dir, 'old', 'a', 'b'))).toBe(false);
    expect(existsSync(path.join(dir, 'old', 'a'))).toBe(true);
    await ledger.release(again);
    expect(existsSync(path.join(dir, 'old', 'a'))).toBe(false);
    expect(existsSync(path.join(dir, 'old'))).toBe(true);
  });

  it('starts afresh when a folder it made was removed behind its back and made again', async () => {
    const request = { maker: {}, owner: undefined, writable: false };
    const folder = path.join(dir, 'run');
    const stale = await ledger.acquire(folder, request);
    await rmdir(folder);
    const fresh = await ledger.acquire(folder, request);
    // Letting go of the old hold must not remove the folder the new one needs.
    await ledger.release(stale);
    expect(existsSync(folder)).toBe(true);
    await ledger.release(fresh);
    expect(existsSync(folder)).toBe(false);
  });

  it('reports a folder it could not remove, and forgets it', async () => {
    const folder = path.join(dir, 'run');
    const hold = await ledger.acquire(folder, { maker: {}, owner: undefined, writable: false });
    await rmdir(folder);
    await writeFile(folder, 'a file where the folder was');
    await expect(ledger.release(hold)).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(existsSync(folder)).toBe(true);
  });

  it.skipIf(!isRoot)(
    "hands the folder a writer needs to its user, and another system's folders above it never (needs root)",
    async () => {
      const first = {};
      const second = {};
      await ledger.acquire(path.join(dir, 'vms', 'logs'), {
        maker: first,
        owner: NOBODY,
        writable: false,
      });
      await ledger.acquire(path.join(dir, 'vms', 'logs', 'two'), {
        maker: second,
        owner: OTHER,
        writable: true,
      });
      expect((await stat(path.join(dir, 'vms', 'logs', 'two'))).uid).toBe(OTHER.uid);
      expect((await stat(path.join(dir, 'vms', 'logs'))).uid).toBe(0);
      expect((await stat(path.join(dir, 'vms'))).uid).toBe(0);
      // The first system's writer gets its own folders, whichever resource made them.
      await ledger.acquire(path.join(dir, 'vms', 'logs'), {
        maker: first,
        owner: NOBODY,
        writable: true,
      });
      expect((await stat(path.join(dir, 'vms', 'logs'))).uid).toBe(NOBODY.uid);
      expect((await stat(path.join(dir, 'vms'))).uid).toBe(NOBODY.uid);
    },
  );

  it.skipIf(!isRoot)(
    'refuses a writer whose user differs from the one its folder was handed to (needs root)',
    async () => {
      const folder = path.join(dir, 'snapshots');
      await ledger.acquire(folder, { maker: {}, owner: NOBODY, writable: true });
      await expect(
        ledger.acquire(folder, { maker: {}, owner: OTHER, writable: true }),
      ).rejects.toThrow(
        `${folder} was made for another VMM and handed to 65534:65534, so the VMM running as 1234:1234 could not write in it: give each VMM its own folder`,
      );
      expect((await stat(folder)).uid).toBe(NOBODY.uid);
    },
  );
});
