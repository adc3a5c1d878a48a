// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A fresh folder under the system's temporary folder, removed (with its contents) on disposal. */
export interface TempFolder extends AsyncDisposable {
  readonly path: string;
}

/**
 * Creates a temporary folder named `prefix` + random characters; `mode` (e.g. `0o755`, so a
 * jail's dropped uid can walk down to it) is applied when given.
 */
export const createTempFolder = async (
  prefix = 'kindling-',
  options: { readonly mode?: number } = {},
): Promise<TempFolder> => {
  const folder = await mkdtemp(path.join(os.tmpdir(), prefix));
  try {
    if (options.mode !== undefined) {
      await chmod(folder, options.mode);
    }
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    path: folder,
    [Symbol.asyncDispose]: () => rm(folder, { recursive: true, force: true }),
  };
};
