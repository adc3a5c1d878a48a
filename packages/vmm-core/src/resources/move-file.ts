// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { constants } from 'node:fs';
import { copyFile, lstat, rename, rm } from 'node:fs/promises';
import { VmmCoreError } from '../errors.js';
import { errorCodeOf, pathExists } from './file-errors.js';
import type { LinkHold } from './inode-ledger.js';
import type { MoveMethod } from './resource-type.js';

/** What a move actually did: a fallback method records the way that succeeded. */
export type AppliedMove =
  { readonly way: 'copied' | 'renamed' } | { readonly way: 'hard-linked'; readonly hold: LinkHold };

/** Makes the hard link, as the inode ledger's policy allows. */
export type LinkFile = (from: string, to: string) => Promise<LinkHold>;

// Copying a FIFO or a character device would read forever; a copy is of a regular file only.
const copyRegularFile = async (from: string, to: string): Promise<void> => {
  if (!(await lstat(from)).isFile()) {
    throw Object.assign(new Error(`${from} is not a regular file, so it cannot be copied`), {
      code: 'ENOTSUP',
    });
  }
  try {
    // EXCL: never overwrite; FICLONE: a copy-on-write clone where the filesystem supports it.
    await copyFile(from, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
  } catch (error) {
    // A copy that failed half-way (e.g. ENOSPC) leaves a partial file that is ours to remove.
    if (errorCodeOf(error) !== 'EEXIST') {
      await rm(to, { force: true });
    }
    throw error;
  }
};

const tryInTurn = async (
  first: () => Promise<AppliedMove>,
  second: () => Promise<AppliedMove>,
): Promise<AppliedMove> => {
  try {
    return await first();
  } catch (firstError) {
    // The target existing, or an owner that cannot be changed, is not a reason to try another
    // way: it would fail the same.
    if (errorCodeOf(firstError) === 'EEXIST' || firstError instanceof VmmCoreError) {
      throw firstError;
    }
    try {
      return await second();
    } catch (secondError) {
      throw new AggregateError([firstError, secondError], 'both ways of moving the file failed', {
        cause: secondError,
      });
    }
  }
};

/**
 * Puts the file at `from` at `to` by `method` (a hard link through `linkFile`), never overwriting
 * `to`, and returns what it did. A failure rejects with the file-system error (an `AggregateError`
 * of both when a fallback also failed); nothing is left at `to` then.
 */
export const moveFile = (
  from: string,
  to: string,
  method: MoveMethod,
  linkFile: LinkFile,
): Promise<AppliedMove> => {
  const copy = async (): Promise<AppliedMove> => {
    await copyRegularFile(from, to);
    return { way: 'copied' };
  };
  const hardLink = async (): Promise<AppliedMove> => ({
    way: 'hard-linked',
    hold: await linkFile(from, to),
  });
  const ways: Record<MoveMethod, () => Promise<AppliedMove>> = {
    copy,
    'hard-link': hardLink,
    'copy-or-hard-link': () => tryInTurn(copy, hardLink),
    'hard-link-or-copy': () => tryInTurn(hardLink, copy),
    rename: async () => {
      // rename(2) silently replaces an existing target: check first, as the other ways refuse.
      if (await pathExists(to)) {
        throw Object.assign(new Error(`EEXIST: file already exists, rename '${from}' -> '${to}'`), {
          code: 'EEXIST',
          path: to,
        });
      }
      await rename(from, to);
      return { way: 'renamed' };
    },
  };
  return ways[method]();
};
