// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { VmmCoreError } from '../errors.js';

const SHA256_HEX = /^[0-9a-f]{64}$/u;

/**
 * Reads the SHA-256 of `fileName` from a `sha256sum`-style checksum file (`<hex>  <name>` or
 * `<hex> *<name>` per line, or a lone `<hex>`), as Firecracker publishes beside each tarball.
 */
export const parseChecksumFile = (text: string, fileName: string, url: string): string => {
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const match = /^(\S+)(?:\s+\*?(.+))?$/u.exec(line);
      return { hash: (match?.[1] ?? '').toLowerCase(), name: match?.[2] };
    });
  const entry =
    entries.find((candidate) => candidate.name === fileName) ??
    (entries.length === 1 && entries[0]?.name === undefined ? entries[0] : undefined);
  if (entry === undefined || !SHA256_HEX.test(entry.hash)) {
    const glimpse = JSON.stringify(text.slice(0, 120));
    throw new VmmCoreError(
      'ERR_DOWNLOAD_FAILED',
      `The checksum file ${url} has no SHA-256 for ${fileName} (it reads ${glimpse}): check the base URL and the version.`,
    );
  }
  return entry.hash;
};
