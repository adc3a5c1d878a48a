// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lstat, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * This user's own folder under the temporary folder, `<tmpdir>/kindling-<uid>`, where Kindling
 * keeps what it makes without being told where (state records, default API sockets). A reboot
 * empties it, and after a reboot nothing in it means anything.
 */
export const kindlingTempFolder = (): string =>
  path.join(os.tmpdir(), `kindling-${process.getuid?.() ?? 'user'}`);

const isPrivateToUs = (mode: number, uid: number): boolean =>
  (mode & 0o022) === 0 && (process.getuid === undefined || uid === process.getuid());

/**
 * Creates a folder (mode 0700, with its missing parents) and checks that it is a folder only this
 * user can write to, not a symlink: another user who could write to it could swap what Kindling
 * trusts there. Returns what is wrong, or `undefined` when the folder is fit; throws the file
 * system's error when it cannot be created or inspected.
 */
export const ensurePrivateFolder = async (folder: string): Promise<string | undefined> => {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const info = await lstat(folder);
  if (!info.isDirectory()) {
    return 'is not a folder';
  }
  return isPrivateToUs(info.mode, info.uid) ? undefined : 'is a folder others own or can write to';
};
