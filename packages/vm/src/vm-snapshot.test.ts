// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
