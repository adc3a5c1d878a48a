// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Stats } from 'node:fs';
import { lstat, mkdir, readdir, readlink, rm, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type {
  FileStat,
  FileType,
  ListResult,
  MkdirRequest,
  RemoveRequest,
} from '../protocol/messages.js';
import { ProtocolError } from '../protocol/protocol-error.js';
import { resolveGuestPath } from './guest-path.js';

const fileTypeOf = (stats: Stats): FileType =>
  stats.isFile()
    ? 'file'
    : stats.isDirectory()
      ? 'directory'
      : stats.isSymbolicLink()
        ? 'symlink'
        : 'other';

const describe = async (full: string, name: string): Promise<FileStat> => {
  const stats = await lstat(full);
  const type = fileTypeOf(stats);
  const linkTarget = type === 'symlink' ? await readlink(full) : undefined;
  return {
    name,
    type,
    size: stats.size,
    mode: stats.mode & 0o7777,
    mtimeMs: stats.mtimeMs,
    uid: stats.uid,
    gid: stats.gid,
    ...(linkTarget === undefined ? {} : { linkTarget }),
  };
};

/** stat: one path, a final symlink described rather than followed. */
export const statPath = async (root: string, guestPath: string): Promise<FileStat> =>
  describe(await resolveGuestPath(root, guestPath, 'keep'), path.posix.basename(guestPath) || '/');

/** list: a folder's entries, sorted by name. */
export const listFolder = async (root: string, guestPath: string): Promise<ListResult> => {
  const folder = await resolveGuestPath(root, guestPath, 'follow');
  const names = (await readdir(folder)).toSorted();
  return {
    entries: await Promise.all(names.map((name) => describe(path.join(folder, name), name))),
  };
};

/** remove: a file or link, or a folder (its contents too with `recursive`). */
export const removePath = async (
  root: string,
  request: RemoveRequest,
): Promise<Record<string, never>> => {
  const target = await resolveGuestPath(root, request.path, 'keep');
  if (target === root) {
    throw new ProtocolError(
      'ERR_INVALID_INPUT',
      `remove.path: ${JSON.stringify(request.path)} is the agent's root, which cannot be removed: name a path below it`,
    );
  }
  const stats = await lstat(target);
  if (stats.isDirectory()) {
    await (request.recursive === true ? rm(target, { recursive: true }) : rmdir(target));
  } else {
    await unlink(target);
  }
  return {};
};

/** mkdir: one folder (with `recursive`, its parents too, and an existing folder is fine). */
export const makeFolder = async (
  root: string,
  request: MkdirRequest,
): Promise<Record<string, never>> => {
  const target = await resolveGuestPath(root, request.path, 'follow');
  await mkdir(target, { recursive: request.recursive === true, mode: request.mode ?? 0o755 });
  return {};
};
