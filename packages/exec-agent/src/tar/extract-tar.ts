// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod, lutimes, mkdir, open, symlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { ProtocolError } from '../protocol/protocol-error.js';
import { ByteReader } from './byte-reader.js';
import {
  BLOCK_BYTES,
  decodeHeaderBlock,
  paddingBytes,
  parsePaxRecords,
  type RawHeader,
  type TarEntryType,
} from './tar-header.js';

/** What an extraction wrote. */
export interface ExtractSummary {
  entries: number;
  bytes: number;
}

const refuse = (name: string, why: string): ProtocolError =>
  new ProtocolError(
    'ERR_EXEC_TAR',
    `The archive entry ${JSON.stringify(name)} ${why}: nothing was written`,
  );

const ENTRY_TYPES: ReadonlyMap<string, TarEntryType> = new Map([
  ['0', 'file'],
  ['\u0000', 'file'],
  ['7', 'file'],
  ['5', 'directory'],
  ['2', 'symlink'],
]);

// An entry's name relative to the destination ('' for the destination itself); refuses names
// that are absolute or climb.
const relativeName = (name: string): string => {
  if (name.startsWith('/')) {
    throw refuse(name, 'has an absolute path');
  }
  const parts = name.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) {
    throw refuse(name, 'climbs with ..');
  }
  return parts.join('/');
};

// A link target must stay inside the destination, read from where the link sits.
const checkLinkTarget = (name: string, relative: string, target: string): void => {
  if (target === '' || target.startsWith('/')) {
    throw refuse(
      name,
      `is a symlink to ${JSON.stringify(target)}, an absolute path outside the target`,
    );
  }
  // Counted rather than normalised: path.posix.join clamps `..` at `/`, hiding the climb.
  const start = relative.split('/').length - 1;
  const depth = target
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .reduce((level, part) => (level < 0 ? level : level + (part === '..' ? -1 : 1)), start);
  if (depth < 0) {
    throw refuse(name, `is a symlink to ${JSON.stringify(target)}, which leads outside the target`);
  }
};

interface Header extends RawHeader {
  readonly type: TarEntryType;
}

// The next entry's header with any pax or GNU long-name data applied; undefined at the end.
const readHeader = async (reader: ByteReader): Promise<Header | undefined> => {
  const overrides = new Map<string, string>();
  for (;;) {
    const block = await reader.read(BLOCK_BYTES);
    if (block.byteLength === 0) {
      return undefined;
    }
    if (block.byteLength < BLOCK_BYTES) {
      throw new ProtocolError('ERR_EXEC_TAR', 'The archive ends inside a header: it was cut short');
    }
    const raw = decodeHeaderBlock(block);
    if (raw === undefined) {
      return undefined;
    }
    if (
      raw.typeFlag === 'x' ||
      raw.typeFlag === 'g' ||
      raw.typeFlag === 'L' ||
      raw.typeFlag === 'K'
    ) {
      const data = await reader.read(raw.size);
      await reader.read(paddingBytes(raw.size));
      if (raw.typeFlag === 'x') {
        for (const [key, value] of parsePaxRecords(data)) {
          overrides.set(key, value);
        }
      } else if (raw.typeFlag !== 'g') {
        overrides.set(
          raw.typeFlag === 'L' ? 'path' : 'linkpath',
          data.toString('utf8').replace(/\0+$/u, ''),
        );
      }
      continue;
    }
    const type = ENTRY_TYPES.get(raw.typeFlag);
    const name = overrides.get('path') ?? raw.name;
    if (type === undefined) {
      throw refuse(
        name,
        raw.typeFlag === '1'
          ? 'is a hard link, which push and pull do not carry'
          : `has the type ${JSON.stringify(raw.typeFlag)}: only files, folders and symlinks are carried`,
      );
    }
    const mtime = overrides.get('mtime');
    const size = overrides.get('size');
    return {
      ...raw,
      type,
      name,
      linkTarget: overrides.get('linkpath') ?? raw.linkTarget,
      mtimeMs: mtime === undefined ? raw.mtimeMs : Math.round(Number(mtime) * 1000),
      size: size === undefined ? raw.size : Math.trunc(Number(size)),
    };
  }
};

/**
 * Extracts a tar archive to `destination`, which must not exist: the entry `.` becomes it (a file
 * or a folder), the others go below it. Refuses (ERR_EXEC_TAR, naming the entry) absolute names,
 * `..`, links leading outside, entries written through a link, duplicates and other entry
 * types. On failure, what was written stays for the caller to remove (it extracts into a
 * temporary sibling; see `replaceFromTar`).
 */
export const extractTar = async (
  source: AsyncIterable<Uint8Array>,
  destination: string,
): Promise<ExtractSummary> => {
  const reader = new ByteReader(source);
  const summary: ExtractSummary = { entries: 0, bytes: 0 };
  const seen = new Set<string>();
  const links = new Set<string>();
  // Folders get their mode and mtime last: writing inside a folder changes its mtime, and a
  // read-only folder would refuse its own entries.
  const folders: Array<{ full: string; mode: number; mtimeMs: number }> = [];
  let rootMade = false;
  for (
    let header = await readHeader(reader);
    header !== undefined;
    header = await readHeader(reader)
  ) {
    const relative = relativeName(header.name);
    if (seen.has(relative)) {
      throw refuse(header.name, 'appears twice');
    }
    seen.add(relative);
    const parts = relative === '' ? [] : relative.split('/');
    const through = parts
      .slice(0, -1)
      .find((_, index) => links.has(parts.slice(0, index + 1).join('/')));
    if (through !== undefined) {
      throw refuse(header.name, 'would be written through a symlink of the archive');
    }
    if (relative !== '' && !rootMade) {
      // An archive without a `.` entry is a folder's contents.
      await mkdir(destination, { mode: 0o700 });
      rootMade = true;
    }
    if (relative === '' && header.type === 'symlink') {
      throw refuse(header.name, 'is a symlink: the root of a push or pull is a file or a folder');
    }
    const full = relative === '' ? destination : path.join(destination, relative);
    if (relative !== '') {
      await mkdir(path.dirname(full), { recursive: true, mode: 0o700 });
    }
    rootMade = true;
    summary.entries += 1;
    switch (header.type) {
      case 'directory':
        await mkdir(full, { recursive: relative !== '', mode: 0o700 });
        folders.push({ full, mode: header.mode, mtimeMs: header.mtimeMs });
        break;
      case 'symlink':
        checkLinkTarget(header.name, relative, header.linkTarget);
        links.add(relative);
        await symlink(header.linkTarget, full);
        await lutimes(full, header.mtimeMs / 1000, header.mtimeMs / 1000);
        break;
      case 'file': {
        const file = await open(full, 'wx', 0o600);
        let written = 0;
        try {
          for await (const chunk of reader.chunks(header.size)) {
            await file.write(chunk);
            written += chunk.byteLength;
          }
        } finally {
          await file.close();
        }
        if (written !== header.size) {
          throw refuse(header.name, `was cut short (${written} of ${header.size} bytes)`);
        }
        await reader.read(paddingBytes(header.size));
        await chmod(full, header.mode);
        await utimes(full, header.mtimeMs / 1000, header.mtimeMs / 1000);
        summary.bytes += written;
        break;
      }
    }
  }
  if (!rootMade) {
    throw new ProtocolError('ERR_EXEC_TAR', 'The archive has no entries: send a file or a folder');
  }
  for (const folder of folders.toReversed()) {
    await chmod(folder.full, folder.mode);
    await utimes(folder.full, folder.mtimeMs / 1000, folder.mtimeMs / 1000);
  }
  await reader.drain();
  return summary;
};
