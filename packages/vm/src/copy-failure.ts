// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { errorCodeOf } from './errors.js';

/** Which file a copy could not use: the source (to read) or the destination (to write). */
export type CopySide = 'source' | 'destination';

/** What a failure message says was being done, and reasons and fixes by error code, if unusual. */
export interface FailureWords {
  /** E.g. `give the destination /x to uid 1000, gid 1000`; default: `read the source /x`. */
  readonly what?: string;
  readonly reasons?: Readonly<Record<string, string>>;
  readonly fixes?: Readonly<Record<string, string>>;
  /** The fix when none is known for the error's code. */
  readonly fix?: string;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'it does not exist',
  EEXIST: 'it exists already',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the filesystem is read-only',
  ENOSPC: 'no space is left on its filesystem',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a part of its folder path is a file, not a folder',
  EISDIR: 'it is a folder',
  ELOOP: 'it is a symbolic link, or its path loops',
  EIO: 'an input/output error occurred',
};

// A destination is missing by design: a missing one means a missing folder.
const DESTINATION_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist',
};

const FIXES: Readonly<Record<CopySide, Readonly<Record<string, string>>>> = {
  source: {
    ENOENT: 'copy a snapshot before vm.cleanup() removes its files',
    EACCES: 'run as a user that can read it',
    EPERM: 'run as a user that can read it',
    EISDIR: 'give the path of a file',
  },
  destination: {
    ENOENT: 'make its folder first',
    EEXIST: 'copy() never overwrites: choose a new path or remove the file',
    EACCES: 'choose a folder this process can write to',
    EPERM: 'choose a folder this process can write to',
    EROFS: 'choose a folder on a writable filesystem',
    ENOSPC: 'free some space or choose another filesystem',
    EDQUOT: 'free some space or choose another filesystem',
    ENOTDIR: 'choose a path whose folders are folders',
    EISDIR: 'give the path of a file, not of a folder',
  },
};

const describeFailure = (
  side: CopySide,
  path: string,
  cause: unknown,
  words: FailureWords,
): string => {
  const code = errorCodeOf(cause);
  const known =
    typeof code === 'string'
      ? (words.reasons?.[code] ??
        (side === 'destination' ? DESTINATION_REASONS[code] : undefined) ??
        REASONS[code])
      : undefined;
  const reason =
    known === undefined
      ? cause instanceof Error
        ? cause.message
        : String(cause)
      : `${known} (${String(code)})`;
  const fix =
    (typeof code === 'string' ? (words.fixes?.[code] ?? FIXES[side][code]) : undefined) ??
    words.fix ??
    (side === 'source' ? 'check that it exists and can be read' : 'check that it can be written');
  const what =
    words.what ?? `${side === 'source' ? 'read the source' : 'write the destination'} ${path}`;
  return `could not ${what}: ${reason}; ${fix}`;
};

/**
 * A failed copy, saying which side is at fault, its path and the fix; `cause` is the system
 * error. Callers word it for their own API (`snapshot.copy(): ` + message).
 */
export class FileCopyFailure extends Error {
  readonly side: CopySide;
  readonly path: string;

  constructor(side: CopySide, path: string, cause: unknown, words: FailureWords = {}) {
    super(describeFailure(side, path, cause, words), { cause });
    this.name = 'FileCopyFailure';
    this.side = side;
    this.path = path;
  }
}

/** Runs a file operation, turning its failure into a `FileCopyFailure` of that side. */
export const onSide = async <Value>(
  side: CopySide,
  path: string,
  operation: () => Promise<Value>,
  words?: FailureWords,
): Promise<Value> => {
  try {
    return await operation();
  } catch (error) {
    throw new FileCopyFailure(side, path, error, words);
  }
};
