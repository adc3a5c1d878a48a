// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import {
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResourceSystem } from '../src/resources/resource-system.js';
import type { ResourceType } from '../src/resources/resource-type.js';

// Security cases for a symbolic link planted at the very path a resource is put at (an executor's
// target in a jail, or a created file's own path): no way of putting a file there follows the
// link. copy uses COPYFILE_EXCL (O_CREAT|O_EXCL, which fails on any link), a hard link and
// mkfifo(1) fail with EEXIST on it, a created file is opened "wx" (O_EXCL), and every way first
// checks the path with lstat. The link is refused, and left as it was: it is not Kindling's.

let dir: string;
let secret: string;
let missing: string;
let target: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kindling-security-'));
  // Outside: a file that must keep its content, and a path that must not come to exist.
  await mkdir(path.join(dir, 'outside'));
  secret = path.join(dir, 'outside/secret');
  await writeFile(secret, 'secret', { mode: 0o600 });
  missing = path.join(dir, 'outside/made-by-following');
  await mkdir(path.join(dir, 'jail'));
  target = path.join(dir, 'jail/vmlinux');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const expectOutsideUntouched = async (before: { mode: number; uid: number; ino: number }) => {
  expect(await readFile(secret, 'utf8')).toBe('secret');
  const after = await stat(secret);
  expect({ mode: after.mode, uid: after.uid, ino: after.ino }).toEqual(before);
  expect(existsSync(missing)).toBe(false);
};

const LINK_TARGETS = [
  ['an existing file outside', () => secret],
  ['a dangling path outside', () => missing],
] as const;

// Each way of putting a resource at the target, the code its failure carries, and whether it
// starts from the user's file (moved) or at the target itself (created, produced).
const TYPES: readonly (readonly [string, ResourceType, string, 'source' | 'target'])[] = [
  ['copied', { kind: 'moved', method: 'copy' }, 'ERR_RESOURCE_MOVE', 'source'],
  ['hard-linked', { kind: 'moved', method: 'hard-link' }, 'ERR_RESOURCE_MOVE', 'source'],
  ['renamed', { kind: 'moved', method: 'rename' }, 'ERR_RESOURCE_MOVE', 'source'],
  [
    'hard-linked or copied',
    { kind: 'moved', method: 'hard-link-or-copy' },
    'ERR_RESOURCE_MOVE',
    'source',
  ],
  [
    'copied or hard-linked',
    { kind: 'moved', method: 'copy-or-hard-link' },
    'ERR_RESOURCE_MOVE',
    'source',
  ],
  ['created as a file', { kind: 'created', fileType: 'file' }, 'ERR_RESOURCE_CREATE', 'target'],
  ['created as a FIFO', { kind: 'created', fileType: 'fifo' }, 'ERR_RESOURCE_CREATE', 'target'],
  ['produced', { kind: 'produced' }, 'ERR_RESOURCE_CREATE', 'target'],
];

describe.each(LINK_TARGETS)('a link at the target pointing to %s', (_where, linkTo) => {
  it.each(TYPES)(
    'refuses a resource %s there, following nothing',
    async (_how, type, code, from) => {
      const before = await stat(secret);
      await symlink(linkTo(), target);
      const source = path.join(dir, 'images/vmlinux');
      await mkdir(path.dirname(source));
      await writeFile(source, 'kernel');
      const system = new ResourceSystem();
      const resource = system.createResource({ source, target }[from], type);
      await expect(
        system.initialize(resource, { effectivePath: target, virtualPath: '/vmlinux' }),
      ).rejects.toMatchObject({
        code,
        message: expect.stringContaining('already exists'),
      });
      expect(resource.state).toBe('uninitialized');
      expect(await readlink(target)).toBe(linkTo());
      expect(await readFile(source, 'utf8')).toBe('kernel');
      await expectOutsideUntouched({ mode: before.mode, uid: before.uid, ino: before.ino });
      // Disposing of what never went in leaves the link alone too.
      await system.disposeAll();
      expect((await lstat(target)).isSymbolicLink()).toBe(true);
    },
  );
});
