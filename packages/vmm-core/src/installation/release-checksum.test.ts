// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { VmmCoreError } from '../errors.js';
import { parseChecksumFile } from './release-checksum.js';

const HASH = 'a'.repeat(64);
const NAME = 'firecracker-v1.16.1-x86_64.tgz';
const URL = 'https://example.test/firecracker-v1.16.1-x86_64.tgz.sha256.txt';

describe('parseChecksumFile', () => {
  it.each([
    ['sha256sum text mode', `${HASH}  ${NAME}\n`],
    ['sha256sum binary mode', `${HASH} *${NAME}\n`],
    ['a lone hash', `${HASH}\n`],
    ['upper-case hex', `${HASH.toUpperCase()}  ${NAME}`],
    ['several files', `${'b'.repeat(64)}  other.tgz\n${HASH}  ${NAME}\n`],
  ])('reads %s', (_name, text) => {
    expect(parseChecksumFile(text, NAME, URL)).toBe(HASH);
  });

  it.each([
    ['an HTML page', '<html>Not Found</html>'],
    ['another file only', `${HASH}  firecracker-v1.16.0-x86_64.tgz\n`],
    ['a short hash', `abc123  ${NAME}\n`],
    ['an empty file', ''],
  ])('rejects %s with ERR_DOWNLOAD_FAILED', (_name, text) => {
    let caught: unknown;
    try {
      parseChecksumFile(text, NAME, URL);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VmmCoreError);
    expect((caught as VmmCoreError).code).toBe('ERR_DOWNLOAD_FAILED');
    expect((caught as VmmCoreError).message).toContain(`has no SHA-256 for ${NAME}`);
  });
});
