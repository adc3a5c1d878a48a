// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir } from 'node:fs/promises';
import path from 'node:path';

// Generated or installed folders: nothing in them is ours to check.
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.turbo', '.reports', '.tooling', '.git']);

/** Lists every file below `dirs` (relative to `root`), as sorted POSIX paths relative to `root`. */
export const listFiles = async (root: string, dirs: readonly string[]): Promise<string[]> => {
  const found: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return;
      }
      throw error;
    }
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) {
          await walk(child);
        }
      } else if (entry.isFile()) {
        found.push(child);
      }
    }
  };
  for (const dir of dirs) {
    await walk(dir);
  }
  return found.toSorted();
};

/** Whether a path matches any of the globs. */
export const matchesAny = (file: string, globs: readonly string[]): boolean =>
  globs.some((glob) => path.matchesGlob(file, glob));
