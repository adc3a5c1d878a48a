// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  lstat,
  mkdir,
  readFile,
  readlink,
  readdir,
  symlink,
  utimes,
  writeFile,
  chmod,
} from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createTempFolder } from '@kindling/test-utils';
import {
  createVmTestHarness,
  isRealBackend,
  NEEDS_GUEST,
  SETUPS,
  type ExecutorSetup,
  type VmTestHarness,
} from '@kindling/test-vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exec,
  list,
  mkdir as guestMkdir,
  pull,
  push,
  pushStream,
  remove,
  stat,
} from '../src/index.js';
import { archiveWithEntry } from './support/hostile-tar.js';

const MTIME_MS = Date.UTC(2024, 1, 29, 12, 0, 0, 250);

// A tree with modes, mtimes, a nested folder, a relative symlink and binary contents.
const makeTree = async (root: string): Promise<void> => {
  await mkdir(path.join(root, 'bin/deep'), { recursive: true });
  await writeFile(path.join(root, 'bin/run.sh'), '#!/bin/sh\necho ran\n');
  await chmod(path.join(root, 'bin/run.sh'), 0o750);
  await writeFile(path.join(root, 'secret.txt'), 'only me\n');
  await chmod(path.join(root, 'secret.txt'), 0o600);
  await writeFile(path.join(root, 'bin/deep/blob'), Buffer.from([0, 1, 2, 255, 254, 0]));
  await symlink('bin/run.sh', path.join(root, 'run'));
  await chmod(path.join(root, 'bin/deep'), 0o700);
  for (const file of ['bin/run.sh', 'secret.txt', 'bin/deep/blob', 'bin/deep', 'bin', '.']) {
    await utimes(path.join(root, file), MTIME_MS / 1000, MTIME_MS / 1000);
  }
};

// Each entry of a local tree: its kind, permission bits, mtime, and contents or link target.
const describeTree = async (root: string, relative = '.'): Promise<Record<string, string>> => {
  const full = path.join(root, relative);
  const info = await lstat(full);
  const mode = (info.mode & 0o7777).toString(8);
  if (info.isSymbolicLink()) {
    return { [relative]: `link -> ${await readlink(full)}` };
  }
  if (info.isFile()) {
    return { [relative]: `file ${mode} ${info.mtimeMs} ${(await readFile(full)).toString('hex')}` };
  }
  const entries: Record<string, string> = { [relative]: `dir ${mode} ${info.mtimeMs}` };
  for (const name of (await readdir(full)).toSorted()) {
    Object.assign(entries, await describeTree(root, path.join(relative, name)));
  }
  return entries;
};

describe.skipIf(isRealBackend).each(SETUPS)(
  `files in the guest, $name ${NEEDS_GUEST}`,
  (setup: ExecutorSetup) => {
    let harness: VmTestHarness;
    beforeAll(async () => {
      harness = await createVmTestHarness({ label: 'ext-exec-files' });
    });
    afterAll(async () => {
      await harness[Symbol.asyncDispose]();
    });

    it('pushes and pulls a tree, keeping modes, mtimes and symlinks', async () => {
      const vm = await harness.boot(setup);
      await using local = await createTempFolder('kindling-ext-exec-tree-');
      const source = path.join(local.path, 'source');
      await mkdir(source);
      await makeTree(source);

      expect(await push(vm, source, 'work/tree')).toMatchObject({ entries: 7 });
      expect(await stat(vm, 'work/tree/secret.txt')).toMatchObject({
        name: 'secret.txt',
        type: 'file',
        size: 8,
        mode: 0o600,
        mtimeMs: MTIME_MS,
      });
      expect((await list(vm, 'work/tree')).map((entry) => [entry.name, entry.type])).toEqual([
        ['bin', 'directory'],
        ['run', 'symlink'],
        ['secret.txt', 'file'],
      ]);
      // The pushed script runs in the guest, through its link.
      expect((await exec(vm, ['./run'], { cwd: 'work/tree' })).stdout).toBe('ran\n');

      const copy = path.join(local.path, 'copy');
      await pull(vm, 'work/tree', copy);
      expect(await describeTree(copy)).toEqual(await describeTree(source));

      // One file too, each way.
      await push(vm, path.join(source, 'secret.txt'), 'work/one.txt');
      await pull(vm, 'work/one.txt', path.join(local.path, 'one.txt'));
      expect(await readFile(path.join(local.path, 'one.txt'), 'utf8')).toBe('only me\n');

      await guestMkdir(vm, 'work/a/b/c', { recursive: true, mode: 0o700 });
      expect(await stat(vm, 'work/a/b/c')).toMatchObject({ type: 'directory', mode: 0o700 });
      await remove(vm, 'work/a', { recursive: true });
      await expect(stat(vm, 'work/a')).rejects.toMatchObject({ code: 'ERR_EXEC_NOT_FOUND' });
      await expect(remove(vm, 'work/tree')).rejects.toMatchObject({
        code: 'ERR_EXEC_FILE_OPERATION',
      });
    });

    it('refuses hostile paths, archives and links, leaving nothing behind', async () => {
      const vm = await harness.boot(setup);
      await using local = await createTempFolder('kindling-ext-exec-hostile-');
      await writeFile(path.join(local.path, 'file'), 'x');

      await expect(push(vm, path.join(local.path, 'file'), '../../etc/evil')).rejects.toMatchObject(
        {
          code: 'ERR_EXEC_PATH_ESCAPE',
        },
      );
      // A guest link that leads out of the agent's root cannot be written through.
      await exec(vm, ['ln', '-s', '/etc', 'out'], { cwd: '/' });
      await expect(push(vm, path.join(local.path, 'file'), 'out/evil')).rejects.toMatchObject({
        code: 'ERR_EXEC_PATH_ESCAPE',
      });
      await expect(stat(vm, 'out/passwd')).rejects.toMatchObject({ code: 'ERR_EXEC_PATH_ESCAPE' });

      // An archive with an entry that climbs out: refused by name, and nothing written.
      const archive = archiveWithEntry('./../escaped');
      await expect(pushStream(vm, Readable.from([archive]), 'work/hostile')).rejects.toMatchObject({
        code: 'ERR_EXEC_TAR',
        message: expect.stringContaining('./../escaped'),
      });
      const names = (await list(vm, '.')).map((entry) => entry.name);
      expect(names).not.toContain('escaped');
      expect(names.join(' ')).not.toMatch(/hostile/u);
      expect((await list(vm, 'work')).map((entry) => entry.name).join(' ')).not.toMatch(/hostile/u);

      // A guest tree whose link points out of it is refused when pulled, and nothing lands here.
      await guestMkdir(vm, 'work/linky', { recursive: true });
      await exec(vm, ['ln', '-s', '/etc/passwd', 'work/linky/passwd'], { cwd: '/' });
      await expect(pull(vm, 'work/linky', path.join(local.path, 'linky'))).rejects.toMatchObject({
        code: 'ERR_EXEC_TAR',
        message: expect.stringContaining('./passwd'),
      });
      expect(await readdir(local.path)).toEqual(['file']);
    });
  },
);
