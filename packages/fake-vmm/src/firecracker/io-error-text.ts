// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { constants } from 'node:os';

// glibc's strerror texts, which Rust's io::Error Display prints before ` (os error N)`.
const STRERROR: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  EACCES: 'Permission denied',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  EMFILE: 'Too many open files',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  EPIPE: 'Broken pipe',
  ENAMETOOLONG: 'File name too long',
  ELOOP: 'Too many levels of symbolic links',
  ENOTSOCK: 'Socket operation on non-socket',
  EADDRINUSE: 'Address already in use',
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ENOTEMPTY: 'Directory not empty',
  ETXTBSY: 'Text file busy',
};

/** The errno name of a Node system error (`ENOENT`, …), if it has one. */
export const errnoCodeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** Formats a Node system error as Rust's `io::Error` Display does: `No such file or directory (os error 2)`. */
export const describeIoError = (error: unknown): string => {
  const code = errnoCodeOf(error);
  const errno = code === undefined ? undefined : (constants.errno as Record<string, number>)[code];
  const text = code === undefined ? undefined : STRERROR[code];
  if (errno !== undefined && text !== undefined) {
    return `${text} (os error ${errno})`;
  }
  return error instanceof Error ? error.message : String(error);
};

/** Rust's `{:?}` of an `io::Error`: `Os { code: 2, kind: NotFound, message: "No such file or directory" }`. */
export const debugIoError = (error: unknown): string => {
  const code = errnoCodeOf(error);
  const errno = code === undefined ? undefined : (constants.errno as Record<string, number>)[code];
  const kind: Readonly<Record<string, string>> = {
    ENOENT: 'NotFound',
    EACCES: 'PermissionDenied',
    EPERM: 'PermissionDenied',
    EISDIR: 'IsADirectory',
    ENOTDIR: 'NotADirectory',
    EADDRINUSE: 'AddrInUse',
  };
  return `Os { code: ${errno ?? 0}, kind: ${(code && kind[code]) ?? 'Uncategorized'}, message: ${JSON.stringify(code ? (STRERROR[code] ?? code) : String(error))} }`;
};
