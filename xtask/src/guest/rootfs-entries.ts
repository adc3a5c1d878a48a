// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { CpioEntry } from './cpio.ts';

// What the guest never needs from the unpacked packages: documentation, locales, charset tables.
export const PACKAGE_FILES_SKIPPED = [
  /^usr\/share(\/|$)/u,
  /^usr\/lib\/x86_64-linux-gnu\/gconv(\/|$)/u,
  /^etc(\/|$)/u,
];

/** Every directory, file and symlink below `dir` (but `skipped`) as archive entries, parents first. */
export const collectTreeEntries = async (
  dir: string,
  skipped: readonly RegExp[] = [],
): Promise<CpioEntry[]> => {
  const entries: CpioEntry[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(path.join(dir, rel))).toSorted()) {
      const child = rel === '' ? name : `${rel}/${name}`;
      if (skipped.some((pattern) => pattern.test(child))) {
        continue;
      }
      const full = path.join(dir, child);
      const stats = await lstat(full);
      if (stats.isSymbolicLink()) {
        entries.push({ kind: 'symlink', path: child, target: await readlink(full) });
      } else if (stats.isDirectory()) {
        entries.push({ kind: 'directory', path: child, mode: stats.mode & 0o7777 });
        await walk(child);
      } else if (stats.isFile()) {
        entries.push({
          kind: 'file',
          path: child,
          data: await readFile(full),
          mode: stats.mode & 0o7777,
        });
      }
    }
  };
  await walk('');
  return entries;
};

/**
 * Merges entry lists: a later entry replaces an earlier one at the same path; the result is
 * ordered by path so every directory precedes what it holds.
 */
export const mergeEntries = (...lists: readonly (readonly CpioEntry[])[]): CpioEntry[] => {
  const byPath = new Map<string, CpioEntry>();
  for (const entry of lists.flat()) {
    byPath.set(entry.path, entry);
  }
  // Parents of every entry, so the list needs no directory entries of its own.
  for (const entryPath of Array.from(byPath.keys())) {
    const parts = entryPath.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) {
      const parent = parts.slice(0, depth).join('/');
      if (!byPath.has(parent)) {
        byPath.set(parent, { kind: 'directory', path: parent });
      }
    }
  }
  return [...byPath.values()].toSorted((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
};
