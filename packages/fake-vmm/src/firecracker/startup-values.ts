// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { join, resolve } from 'node:path';

const U64_MAX = 0xffff_ffff_ffff_ffffn;

/**
 * How a path given to the fake reaches the host: under the chroot stand-in, or as is. Chrooted,
 * the path is relative to the working directory, which `runFirecracker` moves into the jail root:
 * as with a real chroot(2), the jail's parents need not be searchable by the jail's uid, and a
 * path climbing with `..` stays inside the jail.
 */
export const createPathResolver = (chrootDir: string | undefined): ((path: string) => string) =>
  chrootDir === undefined ? (path) => path : (path) => `./${join('.', resolve('/', path))}`;

/**
 * Moves into the jail root that every path resolves against, unless already there: a jailed
 * fake may have moved in before dropping to ids that cannot reach it from outside.
 */
export const enterChrootDir = (chrootDir: string): void => {
  if (process.cwd() !== resolve(chrootDir)) {
    process.chdir(chrootDir);
  }
};

/**
 * How a Unix socket path given to the fake is bound or connected to: `createPathResolver`'s
 * relative name. Firecracker binds `/run/firecracker.socket` inside its chroot, so a long jail
 * base dir never meets the 108-byte `sockaddr_un` limit; the relative name keeps it so, and its
 * `./` keeps a name like `1234` a pipe path (net reads an all-digit string as a TCP port).
 */
export const createSocketPathResolver = createPathResolver;

/** Rust's `str::parse::<u64>()` (also usize): a number, or the `ParseIntError` Debug text. */
export const parseRustUnsigned = (text: string): number | string => {
  if (text === '') {
    return 'ParseIntError { kind: Empty }';
  }
  const digits = text.startsWith('+') ? text.slice(1) : text;
  if (!/^\d+$/u.test(digits)) {
    return 'ParseIntError { kind: InvalidDigit }';
  }
  const value = BigInt(digits);
  return value > U64_MAX ? 'ParseIntError { kind: PosOverflow }' : Number(value);
};

const MIN_ID_LEN = 1;
const MAX_ID_LEN = 64;

/** Firecracker's `validate_instance_id`: undefined when valid, else the error's Debug text. */
export const validateInstanceId = (id: string): string | undefined => {
  const length = Buffer.byteLength(id);
  if (length < MIN_ID_LEN || length > MAX_ID_LEN) {
    return `InvalidLen(${length}, ${MIN_ID_LEN}, ${MAX_ID_LEN})`;
  }
  let index = 0;
  for (const char of id) {
    if (char !== '-' && !/^[\p{Alphabetic}\p{N}]$/u.test(char)) {
      const debug = char === "'" ? "'\\''" : char === '\\' ? "'\\\\'" : `'${char}'`;
      return `InvalidChar(${debug}, ${index})`;
    }
    index += 1;
  }
  return undefined;
};
