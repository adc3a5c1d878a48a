// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomBytes } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, realpath, rename, rm, stat, symlink, utimes, chmod } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { ExecError } from './errors.js';
import { encodeHeader, END_OF_ARCHIVE, paddingFor, type TarEntry } from './tar-header.js';
import { readTarEntries } from './tar-reader.js';

const localPathRule = 'expected a non-empty local path without NUL bytes';
/** A path on the host. */
export const localPathSchema = z
  .string({ error: localPathRule })
  .min(1, { error: localPathRule })
  .refine((value) => !value.includes('\0'), { error: localPathRule });

const notFound = (localPath: string, cause: unknown): ExecError =>
  new ExecError('ERR_EXEC_NOT_FOUND', `push: the local path ${localPath} does not exist`, { cause });

const isErrno = (error: unknown, code: string): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === code;

async function* walk(root: string, relative: string): AsyncGenerator<Buffer> {
  const full = path.join(root, relative);
  const info = await lstat(full);
  const name = relative === '' ? '.' : `./${relative}`;
  const base = { name, mode: info.mode & 0o7777, mtimeMs: info.mtimeMs };
  if (info.isSymbolicLink()) {
    yield encodeHeader({ ...base, type: 'symlink', size: 0, linkTarget: await readlink(full) });
  } else if (info.isDirectory()) {
    yield encodeHeader({ ...base, type: 'directory', size: 0, linkTarget: '' });
    for (const child of (await readdir(full)).toSorted()) {
      yield* walk(root, relative === '' ? child : `${relative}/${child}`);
    }
  } else if (info.isFile()) {
    yield encodeHeader({ ...base, type: 'file', size: info.size, linkTarget: '' });
    let written = 0;
    for await (const chunk of createReadStream(full, { highWaterMark: 64 * 1024 })) {
      written += (chunk as Buffer).byteLength;
      // A file that grew while read: only the size the header announced goes in.
      yield written > info.size ? (chunk as Buffer).subarray(0, info.size - written + (chunk as Buffer).byteLength) : (chunk as Buffer);
      if (written >= info.size) {
        break;
      }
    }
    if (written < info.size) {
      throw new ExecError('ERR_EXEC_FILE_OPERATION', `push: ${full} shrank while it was read`);
    }
    yield paddingFor(info.size);
  } else {
    throw new ExecError(
      'ERR_EXEC_TAR',
      `push: ${full} is neither a file, a folder nor a symlink (a socket, FIFO or device): move it out of the way`,
    );
  }
}

/**
 * A local file or folder as a tar archive stream (entry `.` is the path itself; a symlink named
 * as the path is followed, links inside are kept as links). Fails with `ERR_EXEC_NOT_FOUND`
 * when the path does not exist.
 */
export const packLocalPath = async (localPath: string): Promise<Readable> => {
  const root = path.resolve(localPath);
  let real: string;
  try {
    real = await realpath(root);
  } catch (error) {
    throw isErrno(error, 'ENOENT') ? notFound(localPath, error) : error;
  }
  async function* archive(): AsyncGenerator<Buffer> {
    yield* walk(real, '');
    yield END_OF_ARCHIVE;
  }
  return Readable.from(archive(), { objectMode: false });
};

const escapes = (from: string, to: string): boolean => {
  const relative = path.relative(from, to);
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
};

// The entry's place under `root`: refused when absolute, with a `..` component, or not under `.`.
const placeOf = (root: string, entry: TarEntry): string => {
  const parts = entry.name.split('/').filter((part) => part !== '' && part !== '.');
  if (entry.name.startsWith('/') || parts.includes('..')) {
    throw new ExecError(
      'ERR_EXEC_PATH_ESCAPE',
      `pull: the archive's entry ${JSON.stringify(entry.name)} leads outside the target: refused`,
    );
  }
  return path.join(root, ...parts);
};

const checkLink = (root: string, place: string, entry: TarEntry): void => {
  if (path.isAbsolute(entry.linkTarget) || escapes(root, path.resolve(path.dirname(place), entry.linkTarget))) {
    throw new ExecError(
      'ERR_EXEC_PATH_ESCAPE',
      `pull: the archive's symlink ${JSON.stringify(entry.name)} points to ${JSON.stringify(entry.linkTarget)}, outside the target: refused`,
    );
  }
};

interface Extraction {
  readonly root: string;
  readonly folders: Set<string>;
  readonly links: string[];
  readonly folderTimes: Array<{ place: string; entry: TarEntry }>;
}

// Every parent of `place` must be a folder this extraction made: never a symlink it made.
const ensureParents = async (state: Extraction, place: string, entry: TarEntry): Promise<void> => {
  const parent = path.dirname(place);
  if (state.folders.has(parent)) {
    return;
  }
  if (escapes(state.root, parent) || state.links.includes(parent)) {
    throw new ExecError(
      'ERR_EXEC_PATH_ESCAPE',
      `pull: the archive's entry ${JSON.stringify(entry.name)} lies under a symlink: refused`,
    );
  }
  await ensureParents(state, parent, entry);
  await mkdir(parent, { mode: 0o755 });
  state.folders.add(parent);
};

const extractEntry = async (
  state: Extraction,
  entry: TarEntry & { readonly contents: AsyncIterable<Buffer> },
): Promise<void> => {
  const place = placeOf(state.root, entry);
  if (place !== state.root) {
    await ensureParents(state, place, entry);
  }
  if (state.folders.has(place) || state.links.includes(place)) {
    throw new ExecError('ERR_EXEC_TAR', `pull: the archive has the entry ${JSON.stringify(entry.name)} twice`);
  }
  switch (entry.type) {
    case 'directory':
      await mkdir(place, { mode: 0o700 });
      state.folders.add(place);
      state.folderTimes.push({ place, entry });
      return;
    case 'symlink':
      checkLink(state.root, place, entry);
      await symlink(entry.linkTarget, place);
      state.links.push(place);
      return;
    case 'file': {
      // O_EXCL and O_NOFOLLOW: never write through a link, never over an earlier entry.
      const handle = await open(place, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      try {
        for await (const chunk of entry.contents) {
          await handle.write(chunk);
        }
        await handle.chmod(entry.mode);
        await handle.utimes(entry.mtimeMs / 1000, entry.mtimeMs / 1000);
      } finally {
        await handle.close();
      }
      break;
    }
  }
};

// A link whose target (through the other links of the tree) resolves outside the root.
const checkResolvedLinks = async (state: Extraction): Promise<void> => {
  const realRoot = await realpath(state.root);
  for (const link of state.links) {
    let resolved: string;
    try {
      resolved = await realpath(link);
    } catch {
      // A dangling link inside the tree: what it names is checked lexically already.
      continue;
    }
    if (escapes(realRoot, resolved)) {
      throw new ExecError(
        'ERR_EXEC_PATH_ESCAPE',
        `pull: the archive's symlink ${JSON.stringify(path.relative(state.root, link))} resolves outside the target: refused`,
      );
    }
  }
};

/**
 * Extracts a tar archive (entry `.` is the target itself) to `localPath`: into a temporary
 * sibling first, renamed over `localPath` once complete, so a failure leaves nothing behind.
 * Entries outside the target (absolute, `..`, under a symlink, a link pointing out) are refused
 * with `ERR_EXEC_PATH_ESCAPE` naming the entry.
 */
export const extractArchiveTo = async (archive: Readable, localPath: string): Promise<void> => {
  const target = path.resolve(localPath);
  const staging = path.join(
    path.dirname(target),
    `.${path.basename(target)}.kindling-pull-${randomBytes(6).toString('hex')}`,
  );
  const state: Extraction = { root: staging, folders: new Set(), links: [], folderTimes: [] };
  try {
    let sawRoot = false;
    for await (const entry of readTarEntries(archive)) {
      if (!sawRoot && entry.name !== '.' && entry.name !== './') {
        throw new ExecError('ERR_EXEC_TAR', `pull: the archive's first entry is ${JSON.stringify(entry.name)}, not "." (the path itself)`);
      }
      sawRoot = true;
      await extractEntry(state, entry);
    }
    if (!sawRoot) {
      throw new ExecError('ERR_EXEC_TAR', 'pull: the archive is empty');
    }
    await checkResolvedLinks(state);
    // Deepest first, so setting a folder's time is not undone by writing into it.
    for (const { place, entry } of state.folderTimes.toReversed()) {
      await chmod(place, entry.mode);
      await utimes(place, entry.mtimeMs / 1000, entry.mtimeMs / 1000);
    }
    await replace(staging, target);
  } catch (error) {
    archive.destroy();
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
};

// Puts the finished tree in place of whatever was at `target` (a folder is removed first).
const replace = async (staging: string, target: string): Promise<void> => {
  // Nothing there yet is the common case.
  const existing = await stat(target).catch((): undefined => {});
  if (existing?.isDirectory() === true) {
    await rm(target, { recursive: true, force: true });
  }
  await rename(staging, target);
};
