// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { constants } from 'node:os';
import { getSystemErrorMessage } from 'node:util';
import { formatRustString } from './debug-format.js';

/** A Node system error rendered the way Rust's `std::io::Error` prints it. */
export interface RustIoError {
  /** `Display`: `No such file or directory (os error 2)`. */
  readonly display: string;
  /** `Debug`: `Os { code: 2, kind: NotFound, message: "No such file or directory" }`. */
  readonly debug: string;
}

// musl's strerror text and Rust's ErrorKind (std's `decode_error_kind`) for the errors the fakes
// meet. Firecracker's official release binaries are static musl builds, so their `(os error N)`
// texts are musl's, which differ from glibc's for several errors (`Address in use`, not glibc's
// `Address already in use`); glibc's wording is kept to read host tools' messages. libuv's own
// messages are worded differently again, so they would match neither. Used by the fake
// Firecracker, jailer and snapshot-editor alike.
const KNOWN: Readonly<
  Record<string, readonly [message: string, kind: string, glibcMessage?: string]>
> = {
  EPERM: ['Operation not permitted', 'PermissionDenied'],
  ENOENT: ['No such file or directory', 'NotFound'],
  EIO: ['I/O error', 'Uncategorized', 'Input/output error'],
  ENXIO: ['No such device or address', 'Uncategorized'],
  EBADF: ['Bad file descriptor', 'Uncategorized'],
  EAGAIN: ['Resource temporarily unavailable', 'WouldBlock'],
  EACCES: ['Permission denied', 'PermissionDenied'],
  EBUSY: ['Resource busy', 'ResourceBusy', 'Device or resource busy'],
  EEXIST: ['File exists', 'AlreadyExists'],
  EXDEV: ['Cross-device link', 'CrossesDevices', 'Invalid cross-device link'],
  ENODEV: ['No such device', 'Uncategorized'],
  ENOTDIR: ['Not a directory', 'NotADirectory'],
  EISDIR: ['Is a directory', 'IsADirectory'],
  EINVAL: ['Invalid argument', 'InvalidInput'],
  EMFILE: ['No file descriptors available', 'Uncategorized', 'Too many open files'],
  ETXTBSY: ['Text file busy', 'ExecutableFileBusy'],
  EFBIG: ['File too large', 'FileTooLarge'],
  ENOSPC: ['No space left on device', 'StorageFull'],
  EROFS: ['Read-only file system', 'ReadOnlyFilesystem'],
  ENAMETOOLONG: ['Filename too long', 'InvalidFilename', 'File name too long'],
  ENOTEMPTY: ['Directory not empty', 'DirectoryNotEmpty'],
  ELOOP: ['Symbolic link loop', 'FilesystemLoop', 'Too many levels of symbolic links'],
  EPIPE: ['Broken pipe', 'BrokenPipe'],
  ENOTSOCK: ['Not a socket', 'Uncategorized', 'Socket operation on non-socket'],
  EADDRINUSE: ['Address in use', 'AddrInUse', 'Address already in use'],
  ECONNREFUSED: ['Connection refused', 'ConnectionRefused'],
  ECONNRESET: ['Connection reset by peer', 'ConnectionReset'],
};

const errnoOf = (code: string): number | undefined =>
  (constants.errno as Readonly<Record<string, number>>)[code];

/** The system error code (`ENOENT`, …) of a Node error, or undefined for any other error. */
export const systemErrorCode = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null || !('code' in error)) {
    return undefined;
  }
  const { code } = error;
  return typeof code === 'string' && errnoOf(code) !== undefined ? code : undefined;
};

/** Renders an errno name (`ENOENT`) as Rust's `io::Error::from_raw_os_error` would print it. */
export const describeErrno = (code: string): RustIoError => {
  const errno = errnoOf(code) ?? 0;
  const known = KNOWN[code];
  const message =
    known?.[0] ??
    (errno === 0
      ? code
      : getSystemErrorMessage(-errno).replace(/^./u, (first) => first.toUpperCase()));
  const kind = known?.[1] ?? 'Uncategorized';
  return {
    display: `${message} (os error ${errno})`,
    debug: `Os { code: ${errno}, kind: ${kind}, message: ${formatRustString(message)} }`,
  };
};

/**
 * Renders any error met by a fake tool as a Rust `io::Error`: system errors by their errno, and
 * anything else as a custom error carrying its message (Rust's `io::Error::other`).
 */
export const describeIoError = (error: unknown): RustIoError => {
  const code = systemErrorCode(error);
  if (code !== undefined) {
    return describeErrno(code);
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    display: message,
    debug: `Custom { kind: Other, error: ${formatRustString(message)} }`,
  };
};

/**
 * A system error rebuilt from a `strerror` text, the fakes' own (musl) or a host tool's (glibc:
 * `mknod: /x: File exists`), so that it prints as the syscall's own error would; undefined when
 * the text names no known error.
 */
export const systemErrorFromMessage = (message: string): NodeJS.ErrnoException | undefined => {
  // The fakes' own texts are musl's; host tools (mknod, chown) are glibc programs, worded as glibc.
  const entry = Object.entries(KNOWN).find(
    ([, [text, , glibcText]]) =>
      message.includes(text) || (glibcText !== undefined && message.includes(glibcText)),
  );
  if (entry === undefined) {
    return undefined;
  }
  const [code, [text]] = entry;
  return Object.assign(new Error(text), { code, errno: -(errnoOf(code) ?? 0) });
};
