// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { catchError, isRoot } from '@kindling/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileCopyFailure } from './copy-failure.js';
import { copySparseFile } from './sparse-copy.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kindling-sparse-copy-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const MiB = 1024 * 1024;

/** Writes a file of `size` bytes holding `pieces` ([offset, bytes]) and holes elsewhere. */
const sparseFile = async (
  name: string,
  size: number,
  pieces: readonly (readonly [number, Buffer])[],
  mode = 0o600,
): Promise<string> => {
  const file = path.join(dir, name);
  const handle = await open(file, 'wx', mode);
  for (const [offset, bytes] of pieces) {
    await handle.write(bytes, 0, bytes.length, offset);
  }
  await handle.truncate(size);
  await handle.close();
  await chmod(file, mode);
  return file;
};

const failureOf = async (run: Promise<unknown>): Promise<FileCopyFailure> => {
  const error = await catchError(run);
  expect(error).toBeInstanceOf(FileCopyFailure);
  return error as FileCopyFailure;
};

describe('copySparseFile', () => {
  it('copies the bytes, writes only data blocks, and keeps the size and the mode', async () => {
    const from = await sparseFile(
      'memory',
      8 * MiB + 100,
      [
        [0, Buffer.from('start')],
        // A run across a chunk boundary, and a partial last block before a trailing hole.
        [MiB - 10, Buffer.alloc(20, 0x11)],
        [5 * MiB + 4096 * 3 + 7, Buffer.alloc(9000, 0x22)],
        [8 * MiB + 90, Buffer.from('end')],
      ],
      0o640,
    );
    const to = path.join(dir, 'copy');
    expect(await copySparseFile(from, to)).toBe('ranges');
    expect((await readFile(to)).equals(await readFile(from))).toBe(true);
    const copied = await stat(to);
    expect(copied.size).toBe(8 * MiB + 100);
    expect(copied.mode & 0o777).toBe(0o640);
    // 1 + 2 + 4 + 1 blocks of 4 KiB (each piece rounded out to whole blocks).
    expect(copied.blocks * 512).toBeLessThanOrEqual(8 * 4096);
  });

  it('makes zero pages holes too, and keeps a file that ends in a hole at its size', async () => {
    const from = await sparseFile('zeroes', 3 * MiB, [[MiB, Buffer.alloc(MiB)]]);
    expect((await stat(from)).blocks).toBeGreaterThan(0);
    const to = path.join(dir, 'copy');
    await copySparseFile(from, to);
    expect(await stat(to)).toMatchObject({ size: 3 * MiB, blocks: 0 });
    const empty = path.join(dir, 'empty');
    await writeFile(empty, '');
    await copySparseFile(empty, path.join(dir, 'empty-copy'));
    expect((await stat(path.join(dir, 'empty-copy'))).size).toBe(0);
  });

  it('never overwrites the destination, and blames it', async () => {
    const from = await sparseFile('memory', MiB, [[0, Buffer.from('data')]]);
    const to = path.join(dir, 'taken');
    await writeFile(to, 'mine');
    const failure = await failureOf(copySparseFile(from, to));
    expect(failure).toMatchObject({ side: 'destination', path: to, cause: { code: 'EEXIST' } });
    expect(failure.message).toBe(
      `could not write the destination ${to}: it exists already (EEXIST); ` +
        'copy() never overwrites: choose a new path or remove the file',
    );
    expect(await readFile(to, 'utf8')).toBe('mine');
  });

  it('blames the destination for a missing folder, and the source when it is missing', async () => {
    const from = await sparseFile('memory', MiB, [[0, Buffer.from('data')]]);
    const nowhere = path.join(dir, 'missing/copy');
    expect(await failureOf(copySparseFile(from, nowhere))).toMatchObject({
      side: 'destination',
      path: nowhere,
      message: `could not write the destination ${nowhere}: its folder does not exist (ENOENT); make its folder first`,
    });
    const gone = path.join(dir, 'gone');
    expect(await failureOf(copySparseFile(gone, path.join(dir, 'copy')))).toMatchObject({
      side: 'source',
      path: gone,
      message: `could not read the source ${gone}: it does not exist (ENOENT); copy a snapshot before vm.cleanup() removes its files`,
    });
    await mkdir(path.join(dir, 'folder'));
    expect(
      await failureOf(copySparseFile(path.join(dir, 'folder'), path.join(dir, 'copy'))),
    ).toMatchObject({
      side: 'source',
      message: expect.stringContaining('it is not a regular file'),
    });
    expect((await readdir(dir)).toSorted()).toEqual(['folder', 'memory']);
  });

  it('stops on the signal and removes the partial copy', async () => {
    const from = await sparseFile('memory', 64 * MiB, [[0, Buffer.from('data')]]);
    const to = path.join(dir, 'copy');
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(copySparseFile(from, to, { signal: controller.signal })).rejects.toBe(reason);
    // Aborted once under way: the check between chunks stops it, and the new file goes.
    const late = new AbortController();
    const copying = copySparseFile(from, to, { signal: late.signal });
    queueMicrotask(() => late.abort(reason));
    await expect(copying).rejects.toBe(reason);
    expect(await readdir(dir)).toEqual(['memory']);
  });

  it.skipIf(!isRoot)(
    "copies only the VM user's own file when asked, never through a symlink [root only: chown]",
    async () => {
      const theirs = await sparseFile('theirs', MiB, [[0, Buffer.from('guest memory')]]);
      await chown(theirs, 1000, 1000);
      const sourceOwner = { uid: 1000, gid: 1000 };
      await copySparseFile(theirs, path.join(dir, 'copy'), { sourceOwner });
      // Root's own file, swapped in by the VM's user, through a link or in place of the file.
      const secret = await sparseFile('secret', MiB, [[0, Buffer.from('root only')]]);
      const link = path.join(dir, 'link');
      await symlink(secret, link);
      const throughLink = await catchError(
        copySparseFile(link, path.join(dir, 'leak1'), { sourceOwner }),
      );
      expect(throughLink).toMatchObject({
        side: 'source',
        message: expect.stringContaining(
          'it is a symbolic link, which a file of the VM may not be',
        ),
      });
      const swapped = await catchError(
        copySparseFile(secret, path.join(dir, 'leak2'), { sourceOwner }),
      );
      expect(swapped).toMatchObject({
        side: 'source',
        message: expect.stringContaining("it belongs to uid 0, not to the VM's uid 1000"),
      });
      expect((await readdir(dir)).toSorted()).toEqual(['copy', 'link', 'secret', 'theirs']);
    },
  );

  it.skipIf(!isRoot)('gives the copy to the owner asked for [root only: chown]', async () => {
    const from = await sparseFile('memory', MiB, [[0, Buffer.from('data')]]);
    const to = path.join(dir, 'copy');
    await copySparseFile(from, to, { owner: { uid: 1000, gid: 1001 } });
    expect(await stat(to)).toMatchObject({ uid: 1000, gid: 1001 });
  });
});
