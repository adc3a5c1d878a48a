// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** One entry of a test archive; `type` is the tar type flag (`0` file, `5` directory, `2` link). */
export interface TarEntry {
  readonly name: string;
  readonly content?: string | Buffer;
  readonly type?: '0' | '2' | '5';
}

/** How an entry whose name exceeds 100 bytes is written. */
export type LongNameStyle = 'gnu' | 'pax' | 'prefix';

const BLOCK = 512;

const octal = (value: number, width: number): string =>
  `${value.toString(8).padStart(width - 1, '0')}\0`;

const createHeader = (name: string, size: number, type: string, prefix = ''): Buffer => {
  const header = Buffer.alloc(BLOCK);
  header.write(name, 0, 100, 'utf8');
  header.write(octal(type === '5' ? 0o755 : 0o644, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  header.write(octal(size, 12), 124, 'ascii');
  header.write(octal(0, 12), 136, 'ascii');
  header.write(type, 156, 'ascii');
  header.write('ustar\u000000', 257, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) {
    sum += byte;
  }
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
};

const pad = (data: Buffer): Buffer[] => {
  const rest = data.length % BLOCK;
  return rest === 0 ? [data] : [data, Buffer.alloc(BLOCK - rest)];
};

const paxRecord = (key: string, value: string): string => {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) {
    length += 1;
  }
  return `${length}${body}`;
};

/** Builds an uncompressed tar archive, padded to a 10 KiB record as GNU tar does. */
export const createTar = (
  entries: readonly TarEntry[],
  longNames: LongNameStyle = 'gnu',
): Buffer => {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.content ?? '');
    const type = entry.type ?? '0';
    let name = entry.name;
    let prefix = '';
    if (Buffer.byteLength(name) > 100) {
      if (longNames === 'gnu') {
        const longName = Buffer.from(`${name}\0`);
        parts.push(createHeader('././@LongLink', longName.length, 'L'), ...pad(longName));
      } else if (longNames === 'pax') {
        const record = Buffer.from(paxRecord('path', name));
        parts.push(createHeader('PaxHeader/entry', record.length, 'x'), ...pad(record));
      } else {
        const slash = name.lastIndexOf('/');
        prefix = name.slice(0, slash);
        name = name.slice(slash + 1);
      }
    }
    parts.push(createHeader(name.slice(0, 100), data.length, type, prefix), ...pad(data));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  const archive = Buffer.concat(parts);
  const record = 20 * BLOCK;
  const rest = archive.length % record;
  return rest === 0 ? archive : Buffer.concat([archive, Buffer.alloc(record - rest)]);
};

/** A stand-in for an official release tarball and its `.sha256.txt`. */
export interface FakeRelease {
  readonly tarballName: string;
  readonly tarball: Buffer;
  readonly checksumFile: string;
  /** The content of each binary, by its name in the installation. */
  readonly binaries: Readonly<Record<'firecracker' | 'jailer' | 'snapshot-editor', string>>;
}

/** Builds `firecracker-v<version>-<arch>.tgz` laid out as Firecracker's release job lays it out. */
export const createFakeRelease = (
  version: string,
  arch: string,
  options: { readonly omit?: string } = {},
): FakeRelease => {
  const release = `release-v${version}-${arch}`;
  const binaries = {
    firecracker: `#!/bin/sh\nprintf 'Firecracker v${version}\\n\\n'\n`,
    jailer: `#!/bin/sh\nprintf 'Jailer v${version}\\n\\n'\n`,
    'snapshot-editor': `#!/bin/sh\nprintf 'snapshot-editor v${version}\\n'\n`,
  };
  const entries: TarEntry[] = [
    { name: `${release}/`, type: '5' },
    { name: `${release}/LICENSE`, content: 'Apache License 2.0\n' },
    ...Object.entries(binaries)
      .filter(([name]) => name !== options.omit)
      .flatMap(([name, content]) => [
        { name: `${release}/${name}-v${version}-${arch}`, content },
        { name: `${release}/${name}-v${version}-${arch}.debug`, content: Buffer.alloc(70_000, 7) },
      ]),
    { name: `${release}/seccompiler-bin-v${version}-${arch}`, content: 'seccompiler' },
    { name: `${release}/SHA256SUMS`, content: 'not read' },
  ];
  const tarballName = `firecracker-v${version}-${arch}.tgz`;
  const tarball = gzipSync(createTar(entries));
  const hash = createHash('sha256').update(tarball).digest('hex');
  return { tarballName, tarball, checksumFile: `${hash}  ${tarballName}\n`, binaries };
};
