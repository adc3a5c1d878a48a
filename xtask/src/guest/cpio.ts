// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The "newc" cpio format the kernel unpacks as an initramfs. Written here rather than by cpio(1)
// so every entry is owned by root without running as root, and the archive is reproducible.

/** One entry of the archive; paths are relative, without a leading slash. */
export type CpioEntry =
  | { readonly kind: 'directory'; readonly path: string; readonly mode?: number }
  | { readonly kind: 'file'; readonly path: string; readonly data: Buffer; readonly mode: number }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

const hex = (value: number): string => value.toString(16).padStart(8, '0');
const pad4 = (length: number): Buffer => Buffer.alloc((4 - (length % 4)) % 4);

const header = (inode: number, mode: number, size: number, name: string): Buffer => {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor/minor, rdevmajor/minor, namesize, check
  const fields = [inode, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, nameBytes.length, 0];
  const head = Buffer.from(`070701${fields.map(hex).join('')}`, 'latin1');
  return Buffer.concat([head, nameBytes, pad4(head.length + nameBytes.length)]);
};

/** The archive of `entries`, in order (a directory must come before what it holds). */
export const createCpioArchive = (entries: readonly CpioEntry[]): Buffer => {
  const parts: Buffer[] = [];
  entries.forEach((entry, index) => {
    const data =
      entry.kind === 'file'
        ? entry.data
        : entry.kind === 'symlink'
          ? Buffer.from(entry.target, 'utf8')
          : Buffer.alloc(0);
    const mode =
      entry.kind === 'directory'
        ? S_IFDIR | (entry.mode ?? 0o755)
        : entry.kind === 'symlink'
          ? S_IFLNK | 0o777
          : S_IFREG | entry.mode;
    parts.push(header(index + 1, mode, data.length, entry.path), data, pad4(data.length));
  });
  parts.push(header(0, 0, 0, 'TRAILER!!!'));
  return Buffer.concat(parts);
};
