// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTar, type LongNameStyle } from '../../test/support/tarball.js';
import { VmmCoreError } from '../errors.js';
import { extractTarMembers } from './tar-reader.js';

const SYSTEM_TAR = '/usr/bin/tar';

// Feeds an archive in odd-sized chunks, so headers and files straddle chunk boundaries.
const chunked = (data: Buffer, size = 333): Readable =>
  Readable.from(
    Array.from({ length: Math.ceil(data.length / size) }, (_, index) =>
      data.subarray(index * size, (index + 1) * size),
    ),
  );

const LONG_NAME = `release-v1.16.1-x86_64/${'very-long-directory-name/'.repeat(4)}firecracker-v1.16.1-x86_64`;

describe('extractTarMembers', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kindling-tar-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('extracts only the wanted regular files, byte for byte, with mode 0755', async () => {
    const big = Buffer.alloc(5000, 0xab);
    const archive = createTar([
      { name: 'release/', type: '5' },
      { name: 'release/firecracker', content: big },
      { name: 'release/jailer', content: 'jailer' },
      { name: 'release/LICENSE', content: 'license' },
    ]);
    const found = await extractTarMembers(
      chunked(archive),
      new Map([
        ['release/firecracker', path.join(dir, 'fc')],
        ['release/jailer', path.join(dir, 'jailer')],
      ]),
    );
    expect([...found].toSorted()).toEqual(['release/firecracker', 'release/jailer']);
    expect(await readFile(path.join(dir, 'fc'))).toEqual(big);
    expect(await readFile(path.join(dir, 'jailer'), 'utf8')).toBe('jailer');
    expect((await stat(path.join(dir, 'fc'))).mode & 0o777).toBe(0o755);
    expect((await readdir(dir)).toSorted()).toEqual(['fc', 'jailer']);
  });

  it.each<LongNameStyle>(['gnu', 'pax', 'prefix'])(
    'reads names longer than 100 bytes written the %s way',
    async (style) => {
      const archive = createTar(
        [
          { name: LONG_NAME, content: 'long' },
          { name: 'short', content: 'short' },
        ],
        style,
      );
      const found = await extractTarMembers(
        chunked(archive, 100),
        new Map([
          [LONG_NAME, path.join(dir, 'long')],
          ['short', path.join(dir, 'short')],
        ]),
      );
      expect(found).toEqual(new Set([LONG_NAME, 'short']));
      expect(await readFile(path.join(dir, 'long'), 'utf8')).toBe('long');
      expect(await readFile(path.join(dir, 'short'), 'utf8')).toBe('short');
    },
  );

  it('ignores a leading "./" and never extracts directories or links that bear a wanted name', async () => {
    const archive = createTar([
      { name: './release/firecracker', content: 'fc' },
      { name: 'release/jailer', type: '2' },
      { name: 'release/snapshot-editor', type: '5' },
    ]);
    const found = await extractTarMembers(
      chunked(archive),
      new Map([
        ['release/firecracker', path.join(dir, 'fc')],
        ['release/jailer', path.join(dir, 'jailer')],
        ['release/snapshot-editor', path.join(dir, 'se')],
      ]),
    );
    expect(found).toEqual(new Set(['release/firecracker']));
    expect(await readdir(dir)).toEqual(['fc']);
  });

  it('never turns an archive name into a path', async () => {
    const archive = createTar([{ name: '../escaped', content: 'x' }]);
    const inner = path.join(dir, 'inner');
    await mkdir(inner);
    const found = await extractTarMembers(
      chunked(archive),
      new Map([['fc', path.join(inner, 'fc')]]),
    );
    expect(found.size).toBe(0);
    expect(existsSync(path.join(dir, 'escaped'))).toBe(false);
    expect(await readdir(inner)).toEqual([]);
  });

  it('rejects data that is not a tar archive', async () => {
    const error = await extractTarMembers(chunked(Buffer.alloc(1024, 0x41)), new Map()).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(VmmCoreError);
    expect((error as VmmCoreError).code).toBe('ERR_DOWNLOAD_FAILED');
    expect((error as VmmCoreError).message).toMatch(/not a valid tar archive/u);
  });

  it('rejects an archive that ends in the middle of a wanted file', async () => {
    const archive = createTar([{ name: 'fc', content: Buffer.alloc(4000, 1) }]);
    const error = await extractTarMembers(
      chunked(archive.subarray(0, 2048)),
      new Map([['fc', path.join(dir, 'fc')]]),
    ).catch((caught: unknown) => caught);
    expect((error as VmmCoreError).code).toBe('ERR_DOWNLOAD_FAILED');
    expect((error as VmmCoreError).message).toMatch(/ends in the middle of a file/u);
  });

  it.skipIf(!existsSync(SYSTEM_TAR))(
    'reads archives written by the system tar in gnu and pax formats (needs /usr/bin/tar)',
    async () => {
      const source = path.join(dir, 'source');
      const deep = path.join(source, path.dirname(LONG_NAME));
      await mkdir(deep, { recursive: true });
      await writeFile(path.join(source, LONG_NAME), 'from system tar');
      for (const format of ['gnu', 'pax', 'ustar']) {
        const archivePath = path.join(dir, `${format}.tar`);
        execFileSync(SYSTEM_TAR, [
          `--format=${format}`,
          '-cf',
          archivePath,
          '-C',
          source,
          'release-v1.16.1-x86_64',
        ]);
        const target = path.join(dir, `${format}-fc`);
        const found = await extractTarMembers(
          chunked(await readFile(archivePath), 4096),
          new Map([[LONG_NAME, target]]),
        );
        expect(found, format).toEqual(new Set([LONG_NAME]));
        expect(await readFile(target, 'utf8')).toBe('from system tar');
      }
    },
  );
});
