// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePrivateFolder, kindlingTempFolder } from './private-folder.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'kindling-helpers-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ensurePrivateFolder', () => {
  it('creates a missing folder and its parents with mode 0700', async () => {
    const folder = path.join(root, 'a', 'b');
    expect(await ensurePrivateFolder(folder)).toBeUndefined();
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect(await ensurePrivateFolder(folder)).toBeUndefined();
  });

  it('says what is wrong with a folder others can write to, a file or a symlink', async () => {
    const open = path.join(root, 'open');
    await ensurePrivateFolder(open);
    await chmod(open, 0o777);
    expect(await ensurePrivateFolder(open)).toBe('is a folder others own or can write to');
    const file = path.join(root, 'file');
    await writeFile(file, '');
    await expect(ensurePrivateFolder(file)).rejects.toMatchObject({ code: 'EEXIST' });
    const link = path.join(root, 'link');
    await symlink(path.join(root, 'a'), link);
    await ensurePrivateFolder(path.join(root, 'a'));
    expect(await ensurePrivateFolder(link)).toBe('is not a folder');
  });

  it('names this user in the default folder', () => {
    expect(kindlingTempFolder()).toBe(path.join(os.tmpdir(), `kindling-${process.getuid?.()}`));
  });
});
