// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { constants } from 'node:fs';
import { copyFile, open, rm, type FileHandle } from 'node:fs/promises';
import { FileCopyFailure, onSide } from './copy-failure.js';
import { errorCodeOf } from './errors.js';

/** A user and group id a copy is given to. */
export interface FileOwner {
  readonly uid: number;
  readonly gid: number;
}

/** What `copySparseFile` takes beyond the two paths. */
export interface SparseCopyOptions {
  /** Who owns the copy. Default: this process (its euid and egid), whoever owns the source. */
  readonly owner?: FileOwner;
  /** Stops the copy between chunks; the partial copy is removed and the signal's reason thrown. */
  readonly signal?: AbortSignal;
  /**
   * The user whose file the source must be, when another user controls the folder it is in (a
   * downgraded VM's jail): the source is then opened without following a final symlink, and a file
   * owned by anyone else is refused, so that the VM's user cannot have root copy out a file it
   * could not read itself (by a link swapped in for the snapshot file or one of its folders).
   */
  readonly sourceOwner?: FileOwner;
}

/** How a copy was made: a copy-on-write clone, or the source's data ranges written around holes. */
export type SparseCopyMethod = 'clone' | 'ranges';

// Large reads keep the number of calls low; the buffer is what the copy holds in memory.
const CHUNK_SIZE = 1024 * 1024;
// Holes are made at page granularity: guest memory is dirtied page by page, and 4 KiB is the block
// size of the usual filesystems, below which a hole cannot be made anyway.
const BLOCK_SIZE = 4096;
const ZEROES = Buffer.alloc(CHUNK_SIZE);
const PERMISSION_BITS = 0o777;

const processOwner = (): FileOwner => ({
  uid: process.geteuid?.() ?? 0,
  gid: process.getegid?.() ?? 0,
});

/** Writes all of `length` bytes of `buffer` from `offset` at `position` of the file. */
const writeFully = async (
  file: FileHandle,
  buffer: Buffer,
  offset: number,
  length: number,
  position: number,
): Promise<void> => {
  let written = 0;
  while (written < length) {
    const { bytesWritten } = await file.write(
      buffer,
      offset + written,
      length - written,
      position + written,
    );
    written += bytesWritten;
  }
};

/** Writes the runs of non-zero blocks of a chunk read at `position`; zero blocks stay holes. */
const writeDataRuns = async (
  destination: FileHandle,
  chunk: Buffer,
  length: number,
  position: number,
): Promise<void> => {
  let runStart = -1;
  for (let offset = 0; ; offset += BLOCK_SIZE) {
    const end = Math.min(offset + BLOCK_SIZE, length);
    // Past the end counts as a zero block, which writes the last run.
    const isData =
      offset < length && !chunk.subarray(offset, end).equals(ZEROES.subarray(0, end - offset));
    if (isData && runStart === -1) {
      runStart = offset;
    } else if (!isData && runStart !== -1) {
      const runEnd = Math.min(offset, length);
      await writeFully(destination, chunk, runStart, runEnd - runStart, position + runStart);
      runStart = -1;
    }
    if (offset >= length) {
      return;
    }
  }
};

/**
 * Copies the source's bytes into the new, empty destination, writing only blocks that are not
 * all zero and setting the size last: holes of the source (and zero pages) stay holes.
 */
const copyDataRanges = async (
  source: FileHandle,
  from: string,
  destination: FileHandle,
  to: string,
  size: number,
  signal: AbortSignal | undefined,
): Promise<void> => {
  const chunk = Buffer.allocUnsafe(CHUNK_SIZE);
  const readChunk = (at: number) =>
    onSide('source', from, () => source.read(chunk, 0, Math.min(CHUNK_SIZE, size - at), at));
  const writeChunk = (at: number, length: number) =>
    onSide('destination', to, () => writeDataRuns(destination, chunk, length, at));
  let position = 0;
  while (position < size) {
    signal?.throwIfAborted();
    const { bytesRead } = await readChunk(position);
    // Zero when the source shrank while it was copied: the copy ends where the source did.
    if (bytesRead === 0) {
      break;
    }
    if (!chunk.subarray(0, bytesRead).equals(ZEROES.subarray(0, bytesRead))) {
      await writeChunk(position, bytesRead);
    }
    position += bytesRead;
  }
  const end = position;
  await onSide('destination', to, () => destination.truncate(end));
};

/** Tries a copy-on-write clone (a reflink); false when the filesystem cannot make one. */
const tryClone = async (from: string, to: string): Promise<boolean> => {
  try {
    await copyFile(from, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE_FORCE);
    return true;
  } catch (error) {
    if (errorCodeOf(error) === 'EEXIST') {
      throw new FileCopyFailure('destination', to, error);
    }
    // Unsupported (EOPNOTSUPP, EXDEV, ENOSYS, EINVAL: ext4, tmpfs, two filesystems) or any other
    // failure: the copy by ranges opens both files itself, and so names the side at fault
    // precisely (copyFile's error does not say which); libuv removed any destination it made.
    return false;
  }
};

/**
 * Copies a regular file to a new path, keeping it sparse: first a copy-on-write clone where the
 * filesystem has reflinks (btrfs, XFS: instant, no blocks used), else its data written around
 * the holes. The destination must not exist (it is never overwritten: `O_EXCL`) and its folder
 * must; it gets the source's permission bits and belongs to `owner` (default: this process). On
 * any failure or abort the partial destination is removed. Failures throw `FileCopyFailure`.
 *
 * Why this way (bench/snapshot-copy.bench.ts, a 256 MiB memory file holding 3.5 MiB): `copyFile`
 * alone fills the holes (its kernel copy writes zeroes: 256 MiB on disk). Node has no
 * SEEK_DATA/SEEK_HOLE, but reading a hole is cheap (the kernel zero-fills, no disk), so the
 * source is read in 1 MiB chunks and only its non-zero 4 KiB blocks are written: 3.5 MiB on
 * disk, ~0.1 s. Larger chunks or overlapping reads with writes measured no faster. Spawning
 * `cp --sparse=always` (which seeks over holes) is faster still but needs GNU coreutils on the
 * host, cannot say which side failed, does not refuse an existing destination atomically, and
 * is cancelled only by killing it.
 */
export const copySparseFile = async (
  from: string,
  to: string,
  options: SparseCopyOptions = {},
): Promise<SparseCopyMethod> => {
  const { signal } = options;
  signal?.throwIfAborted();
  const owner = options.owner ?? processOwner();
  const { sourceOwner } = options;
  // O_NONBLOCK: a FIFO in the file's place would block open(2) forever; it is refused below.
  const sourceFlags =
    constants.O_RDONLY |
    constants.O_NONBLOCK |
    (sourceOwner === undefined ? 0 : constants.O_NOFOLLOW);
  const source = await onSide('source', from, () => open(from, sourceFlags), {
    reasons: { ELOOP: 'it is a symbolic link, which a file of the VM may not be' },
  });
  try {
    const stats = await onSide('source', from, () => source.stat());
    if (!stats.isFile()) {
      throw new FileCopyFailure('source', from, new Error('it is not a regular file'), {
        fix: 'give the path of a regular file',
      });
    }
    if (sourceOwner !== undefined && stats.uid !== sourceOwner.uid) {
      throw new FileCopyFailure(
        'source',
        from,
        new Error(`it belongs to uid ${stats.uid}, not to the VM's uid ${sourceOwner.uid}`),
        { fix: 'copy only the files the VM wrote; something replaced this one' },
      );
    }
    const mode = stats.mode & PERMISSION_BITS;
    const cloned = await tryClone(from, to);
    // O_NOFOLLOW: the path was just made by this process; a link put in its place is not it.
    const flags = cloned
      ? constants.O_WRONLY | constants.O_NOFOLLOW
      : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    let destination: FileHandle;
    try {
      destination = await onSide('destination', to, () => open(to, flags, mode));
    } catch (error) {
      if (cloned) {
        await rm(to, { force: true });
      }
      throw error;
    }
    try {
      // Set here, not at open: the umask narrows the mode, and a clone carries the source's owner.
      await onSide('destination', to, () => destination.chmod(mode));
      await onSide('destination', to, () => destination.chown(owner.uid, owner.gid), {
        what: `give the destination ${to} to uid ${owner.uid}, gid ${owner.gid}`,
        fixes: { EPERM: 'only root can give a file to another user: leave the owner out' },
      });
      if (!cloned) {
        await copyDataRanges(source, from, destination, to, stats.size, signal);
      }
      await onSide('destination', to, () => destination.close());
    } catch (error) {
      await destination.close().catch(() => {});
      await rm(to, { force: true });
      throw error;
    }
    return cloned ? 'clone' : 'ranges';
  } finally {
    await source.close();
  }
};
