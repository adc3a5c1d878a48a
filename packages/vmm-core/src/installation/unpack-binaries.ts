// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { VmmCoreError } from '../errors.js';
import { extractTarMembers } from './tar-reader.js';

/**
 * Extracts the named members of a `.tgz` to their destinations (archive name → path), or fails
 * with ERR_DOWNLOAD_FAILED naming the members the archive lacks.
 */
export const unpackBinaries = async (
  tarball: string,
  members: ReadonlyMap<string, string>,
  url: string,
  signal: AbortSignal,
): Promise<void> => {
  let found = new Set<string>();
  await pipeline(
    createReadStream(tarball),
    createGunzip(),
    async (source: AsyncIterable<Buffer>) => {
      found = await extractTarMembers(source, members);
    },
    { signal },
  );
  const missing = [...members.keys()].filter((name) => !found.has(name));
  if (missing.length > 0) {
    throw new VmmCoreError(
      'ERR_DOWNLOAD_FAILED',
      `The release tarball ${url} has no ${missing.join(', ')}: is it an official Firecracker release?`,
    );
  }
};
