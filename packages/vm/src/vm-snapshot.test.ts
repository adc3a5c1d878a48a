// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chown, mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isRoot } from '@kindling/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VmSnapshot } from './vm-snapshot.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kindling-vm-snapshot-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const made = async (): Promise<VmSnapshot> => {
  await writeFile(path.join(dir, 'vm.state'), 'state');
  await writeFile(path.join(dir, 'vm.mem'), 'memory');
  return new VmSnapshot({
    type: 'Full',
    snapshotPath: path.join(dir, 'vm.state'),
    memPath: path.join(dir, 'vm.mem'),
    deviceFiles: [
      {
        hostPath: path.join(dir, 'jail/rootfs.ext4'),
        virtualPath: '/rootfs.ext4',
        originalPath: path.join(dir, 'rootfs.ext4'),
      },
    ],
    vsockPath: '/v.sock',
  });
};

describe('VmSnapshot', () => {
  it('checks what it is made of', () => {
    expect(() => new VmSnapshot({ type: 'Full', snapshotPath: 'vm.state', memPath: '/m' })).toThrow(
      'snapshot.snapshotPath: expected an absolute path, got "vm.state"',
    );
    expect(
      () => new VmSnapshot({ type: 'Partial' as 'Full', snapshotPath: '/s', memPath: '/m' }),
    ).toThrow("snapshot.type: expected 'Full' or 'Diff', got \"Partial\"");
  });

  it('copies its files to new paths and returns the snapshot of the copies', async () => {
    const snapshot = await made();
    const copy = await snapshot.copy({
      snapshotPath: path.join(dir, 'copy.state'),
      memPath: path.join(dir, 'copy.mem'),
    });
    expect(copy).toBeInstanceOf(VmSnapshot);
    expect(copy).toMatchObject({
      type: 'Full',
      snapshotPath: path.join(dir, 'copy.state'),
      memPath: path.join(dir, 'copy.mem'),
      deviceFiles: snapshot.deviceFiles,
      vsockPath: '/v.sock',
    });
    expect(await readFile(copy.memPath, 'utf8')).toBe('memory');
  });

  it('never overwrites, and leaves no half copy behind', async () => {
    const snapshot = await made();
    await writeFile(path.join(dir, 'taken.mem'), 'mine');
    await expect(
      snapshot.copy({
        snapshotPath: path.join(dir, 'new.state'),
        memPath: path.join(dir, 'taken.mem'),
      }),
    ).rejects.toMatchObject({ code: 'ERR_SNAPSHOT_COPY_FAILED' });
    expect(await readFile(path.join(dir, 'taken.mem'), 'utf8')).toBe('mine');
    await expect(readFile(path.join(dir, 'new.state'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('creates missing folders of the copies, as cp -r does', async () => {
    const snapshot = await made();
    const copy = await snapshot.copy({
      snapshotPath: path.join(dir, 'kept/deep/vm.state'),
      memPath: path.join(dir, 'kept/other/vm.mem'),
    });
    expect(await readFile(copy.snapshotPath, 'utf8')).toBe('state');
    expect(await readFile(copy.memPath, 'utf8')).toBe('memory');
  });

  it('says which side failed: the source that could not be read', async () => {
    const snapshot = await made();
    await rm(snapshot.memPath);
    const error = await snapshot
      .copy({
        snapshotPath: path.join(dir, 'kept/vm.state'),
        memPath: path.join(dir, 'kept/vm.mem'),
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'ERR_SNAPSHOT_COPY_FAILED',
      message:
        `snapshot.copy(): could not read the source ${snapshot.memPath}: it does not exist (ENOENT); ` +
        'copy a snapshot before vm.cleanup() removes its files',
    });
    // Nothing half made is left: the state copy and the folder made for it are gone.
    await expect(stat(path.join(dir, 'kept'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('says which side failed: the destination that could not be written', async () => {
    const snapshot = await made();
    await writeFile(path.join(dir, 'taken.mem'), 'mine');
    await writeFile(path.join(dir, 'file'), 'not a folder');
    await expect(
      snapshot.copy({
        snapshotPath: path.join(dir, 'new.state'),
        memPath: path.join(dir, 'taken.mem'),
      }),
    ).rejects.toMatchObject({
      code: 'ERR_SNAPSHOT_COPY_FAILED',
      message:
        `snapshot.copy(): could not write the destination ${path.join(dir, 'taken.mem')}: ` +
        'it exists already (EEXIST); copy() never overwrites: choose a new path or remove the file',
    });
    await expect(
      snapshot.copy({
        snapshotPath: path.join(dir, 'file/vm.state'),
        memPath: path.join(dir, 'm'),
      }),
    ).rejects.toMatchObject({
      code: 'ERR_SNAPSHOT_COPY_FAILED',
      message: expect.stringMatching(
        new RegExp(
          `^snapshot\\.copy\\(\\): could not write the destination ${path.join(dir, 'file/vm.state')}: ` +
            'a part of its folder path is a file, not a folder \\(E[A-Z]+\\); choose a path whose folders are folders$',
          'u',
        ),
      ),
    });
  });

  it('keeps a sparse memory file sparse, and its mode', async () => {
    const snapshot = await made();
    const size = 64 * 1024 * 1024;
    await rm(snapshot.memPath);
    const memory = await open(snapshot.memPath, 'wx', 0o600);
    // A page of data every MiB, holes between, and a hole at the end.
    for (let offset = 8192; offset < size - 1024 * 1024; offset += 1024 * 1024) {
      await memory.write(Buffer.alloc(4096, 0xab), 0, 4096, offset);
    }
    await memory.truncate(size);
    await memory.close();
    const copy = await snapshot.copy({
      snapshotPath: path.join(dir, 'sparse.state'),
      memPath: path.join(dir, 'sparse.mem'),
    });
    const copied = await stat(copy.memPath);
    expect(copied.size).toBe(size);
    expect(copied.mode & 0o777).toBe(0o600);
    // 63 pages of data: far below the 64 MiB a byte-for-byte copy allocates.
    expect(copied.blocks * 512).toBeLessThanOrEqual(1024 * 1024);
    expect((await readFile(copy.memPath)).equals(await readFile(snapshot.memPath))).toBe(true);
  });

  it.skipIf(!isRoot)(
    'gives the copies to the caller, or to the owner asked for [root only: chown]',
    async () => {
      const snapshot = await made();
      // As a downgraded VM leaves them: owned by the jail's user.
      await chown(snapshot.snapshotPath, 1000, 1000);
      await chown(snapshot.memPath, 1000, 1000);
      const mine = await snapshot.copy({
        snapshotPath: path.join(dir, 'mine.state'),
        memPath: path.join(dir, 'mine.mem'),
      });
      for (const file of [mine.snapshotPath, mine.memPath]) {
        expect(await stat(file)).toMatchObject({
          uid: process.geteuid?.(),
          gid: process.getegid?.(),
        });
      }
      const theirs = await snapshot.copy({
        snapshotPath: path.join(dir, 'theirs/vm.state'),
        memPath: path.join(dir, 'theirs/vm.mem'),
        owner: { uid: 1234, gid: 5678 },
      });
      for (const file of [theirs.snapshotPath, theirs.memPath, path.join(dir, 'theirs')]) {
        expect(await stat(file)).toMatchObject({ uid: 1234, gid: 5678 });
      }
    },
  );

  it('checks the owner a copy is given to', async () => {
    const snapshot = await made();
    const target = { snapshotPath: path.join(dir, 'o.state'), memPath: path.join(dir, 'o.mem') };
    await expect(snapshot.copy({ ...target, owner: { uid: -1, gid: 0 } })).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: 'options.owner.uid: expected an integer from 0 to 4294967294, got -1',
    });
    await expect(
      snapshot.copy({ ...target, owner: { uid: 0 } as { uid: number; gid: number } }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: 'options.owner.gid: expected an integer from 0 to 4294967294, got nothing',
    });
    await expect(
      snapshot.copy({ ...target, owner: 'root' as unknown as { uid: number; gid: number } }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: 'options.owner: expected an object { uid, gid }, got "root"',
    });
    await expect(stat(target.snapshotPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('restores device files from where the VM had them, or from the originals once gone', async () => {
    const snapshot = await made();
    const gone = await snapshot.toConfiguration({ resume: true, networkOverrides: [] });
    expect(gone).toEqual({
      kind: 'restored-from-snapshot',
      snapshotPath: snapshot.snapshotPath,
      memBackend: { type: 'file', path: snapshot.memPath },
      resume: true,
      networkOverrides: [],
      deviceFiles: [{ hostPath: path.join(dir, 'rootfs.ext4'), virtualPath: '/rootfs.ext4' }],
      snapshotVsockPath: '/v.sock',
    });
    await mkdir(path.join(dir, 'jail'));
    await writeFile(path.join(dir, 'jail/rootfs.ext4'), 'disk');
    const there = await snapshot.toConfiguration({
      memBackend: { type: 'uffd', socketPath: '/uffd.sock' },
      configuration: { logger: { level: 'Debug' } },
    });
    expect(there).toMatchObject({
      memBackend: { type: 'uffd', socketPath: '/uffd.sock' },
      logger: { level: 'Debug' },
      deviceFiles: [{ hostPath: path.join(dir, 'jail/rootfs.ext4'), virtualPath: '/rootfs.ext4' }],
    });
  });
});
