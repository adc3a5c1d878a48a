// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { packTar, replaceFromTar } from '@kindling/exec-agent/protocol';
import { z } from 'zod';
import { ExecError } from './errors.js';

const localPathRule = 'expected a non-empty local path without NUL bytes';
/** A path on the host. */
export const localPathSchema = z
  .string({ error: localPathRule })
  .min(1, { error: localPathRule })
  .refine((value) => !value.includes('\0'), { error: localPathRule });

const isMissing = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';

/**
 * A local file or folder as a tar archive stream laid out as the agent reads it (entry `.` is
 * the path itself; a symlink named as the path is followed, links inside are kept as links).
 * Fails with `ERR_EXEC_NOT_FOUND` when the path does not exist.
 */
export const packLocalPath = async (localPath: string): Promise<Readable> => {
  let real: string;
  try {
    real = await realpath(path.resolve(localPath));
  } catch (error) {
    if (isMissing(error)) {
      throw new ExecError(
        'ERR_EXEC_NOT_FOUND',
        `push: the local path ${localPath} does not exist`,
        { cause: error },
      );
    }
    throw error;
  }
  return Readable.from(packTar(real), { objectMode: false });
};

/**
 * Extracts a pulled archive to `localPath`, all or nothing: into a temporary sibling first,
 * renamed over `localPath` at the end (missing parents are made). Entries that would land outside
 * it (absolute, `..`, through a link, a link pointing out) are refused with `ERR_EXEC_TAR`
 * naming the entry, and nothing is left behind.
 */
export const extractArchiveTo = async (archive: Readable, localPath: string): Promise<void> => {
  try {
    await replaceFromTar(archive, path.resolve(localPath));
  } catch (error) {
    // A refused archive is not read to its end: the pull is abandoned.
    archive.destroy();
    throw error;
  }
};
