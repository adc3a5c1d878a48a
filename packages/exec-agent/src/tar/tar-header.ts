// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { ProtocolError } from '../protocol/protocol-error.js';

/** A tar block: headers and padding come in these. */
export const BLOCK_BYTES = 512;

/** The entry kinds push and pull carry. */
export type TarEntryType = 'file' | 'directory' | 'symlink';

/** One entry's header, as the writer emits it and the reader returns it. */
export interface TarEntryHeader {
  /** `.` for the root of the archive, `./a/b` below it. */
  readonly name: string;
  readonly type: TarEntryType;
  /** Permission bits. */
  readonly mode: number;
  readonly size: number;
  readonly mtimeMs: number;
  /** A symlink's target. */
  readonly linkTarget?: string;
}

const TYPE_FLAGS: Readonly<Record<TarEntryType, string>> = {
  file: '0',
  directory: '5',
  symlink: '2',
};
const USTAR_NAME_BYTES = 100;
// 11 octal digits: the largest size a ustar field holds.
const MAX_OCTAL_SIZE = 0o77777777777;

const writeString = (block: Buffer, offset: number, length: number, text: string): void => {
  block.write(text, offset, Math.min(length, Buffer.byteLength(text)), 'utf8');
};

const writeOctal = (block: Buffer, offset: number, length: number, value: number): void => {
  writeString(block, offset, length - 1, value.toString(8).padStart(length - 1, '0'));
};

const checksum = (block: Buffer): number => {
  let sum = 0;
  for (let index = 0; index < BLOCK_BYTES; index += 1) {
    // The checksum field counts as eight spaces.
    sum += index >= 148 && index < 156 ? 0x20 : (block[index] ?? 0);
  }
  return sum;
};

const encodeUstar = (
  name: string,
  typeFlag: string,
  mode: number,
  size: number,
  mtimeMs: number,
  linkTarget: string,
): Buffer => {
  const block = Buffer.alloc(BLOCK_BYTES);
  writeString(block, 0, USTAR_NAME_BYTES, name);
  writeOctal(block, 100, 8, mode & 0o7777);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, Math.min(size, MAX_OCTAL_SIZE));
  writeOctal(block, 136, 12, Math.max(0, Math.floor(mtimeMs / 1000)));
  block.write(typeFlag, 156, 1, 'latin1');
  writeString(block, 157, USTAR_NAME_BYTES, linkTarget);
  block.write('ustar\u000000', 257, 8, 'latin1');
  writeString(block, 148, 8, `${checksum(block).toString(8).padStart(6, '0')}\u0000 `);
  return block;
};

// A pax record: "<length> <key>=<value>\n", the length counting itself.
const paxRecord = (key: string, value: string): string => {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) {
    length = String(length).length + Buffer.byteLength(body);
  }
  return `${length}${body}`;
};

const padding = (size: number): number => (BLOCK_BYTES - (size % BLOCK_BYTES)) % BLOCK_BYTES;

/**
 * An entry's header blocks: a pax header first (the exact mtime in milliseconds, and a long name,
 * link target or size when ustar cannot hold them), then the ustar header.
 */
export const encodeEntryHeader = (entry: TarEntryHeader): Buffer => {
  const linkTarget = entry.linkTarget ?? '';
  const records = [paxRecord('mtime', (Math.floor(entry.mtimeMs) / 1000).toFixed(3))];
  if (Buffer.byteLength(entry.name) >= USTAR_NAME_BYTES) {
    records.push(paxRecord('path', entry.name));
  }
  if (Buffer.byteLength(linkTarget) >= USTAR_NAME_BYTES) {
    records.push(paxRecord('linkpath', linkTarget));
  }
  if (entry.size > MAX_OCTAL_SIZE) {
    records.push(paxRecord('size', String(entry.size)));
  }
  const pax = Buffer.from(records.join(''), 'utf8');
  return Buffer.concat([
    encodeUstar('././@PaxHeader', 'x', 0o644, pax.byteLength, entry.mtimeMs, ''),
    pax,
    Buffer.alloc(padding(pax.byteLength)),
    encodeUstar(
      entry.name.slice(0, USTAR_NAME_BYTES),
      TYPE_FLAGS[entry.type],
      entry.mode,
      entry.size,
      entry.mtimeMs,
      linkTarget.slice(0, USTAR_NAME_BYTES),
    ),
  ]);
};

/** Zero bytes that bring `size` bytes of data to a block boundary. */
export const paddingFor = (size: number): Buffer => Buffer.alloc(padding(size));

/** The bytes to skip after `size` bytes of data. */
export const paddingBytes = padding;

/** The two zero blocks that end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK_BYTES * 2);

const readString = (block: Buffer, offset: number, length: number): string => {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
};

const readOctal = (block: Buffer, offset: number, length: number, what: string): number => {
  const text = readString(block, offset, length).trim();
  if (!/^[0-7]*$/u.test(text)) {
    throw new ProtocolError(
      'ERR_EXEC_TAR',
      `A tar header's ${what} field is not octal (${JSON.stringify(text)}): is the archive a tar?`,
    );
  }
  return text === '' ? 0 : Number.parseInt(text, 8);
};

/** A raw header block, decoded: its type flag and fields; undefined for a zero block. */
export interface RawHeader {
  readonly typeFlag: string;
  readonly name: string;
  readonly mode: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly linkTarget: string;
}

/** Decodes one header block, checking its checksum. */
export const decodeHeaderBlock = (block: Buffer): RawHeader | undefined => {
  if (block.every((byte) => byte === 0)) {
    return undefined;
  }
  const stored = readOctal(block, 148, 8, 'checksum');
  if (stored !== checksum(block)) {
    throw new ProtocolError(
      'ERR_EXEC_TAR',
      'A tar header has a wrong checksum: the archive is corrupt or not a tar',
    );
  }
  const prefix = readString(block, 345, 155);
  const name = readString(block, 0, USTAR_NAME_BYTES);
  return {
    typeFlag: String.fromCodePoint(block[156] ?? 0),
    name: prefix === '' ? name : `${prefix}/${name}`,
    mode: readOctal(block, 100, 8, 'mode'),
    size: readOctal(block, 124, 12, 'size'),
    mtimeMs: readOctal(block, 136, 12, 'mtime') * 1000,
    linkTarget: readString(block, 157, USTAR_NAME_BYTES),
  };
};

/** The key-value records of a pax header's data. */
export const parsePaxRecords = (data: Buffer): Map<string, string> => {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.byteLength) {
    const space = data.indexOf(0x20, offset);
    const length = Math.trunc(Number(data.subarray(offset, space).toString('latin1')));
    if (
      space === -1 ||
      !Number.isSafeInteger(length) ||
      length <= 0 ||
      offset + length > data.byteLength
    ) {
      throw new ProtocolError(
        'ERR_EXEC_TAR',
        'A pax header record is malformed: the archive is corrupt',
      );
    }
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) {
      records.set(record.slice(0, equals), record.slice(equals + 1));
    }
    offset += length;
  }
  return records;
};
