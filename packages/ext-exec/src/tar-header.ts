// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { ExecError } from './errors.js';

/** A tar block: headers and the padding of contents are whole blocks. */
export const BLOCK_BYTES = 512;

/** The kinds of entry a push or pull carries (the protocol's tar layout). */
export type TarEntryType = 'file' | 'directory' | 'symlink';

/** One archive entry's header, with pax records already applied. */
export interface TarEntry {
  /** `.` for the path itself, else `./a/b` relative to it. */
  readonly name: string;
  readonly type: TarEntryType;
  readonly mode: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly linkTarget: string;
}

const TYPE_FLAGS: Readonly<Record<TarEntryType, string>> = {
  file: '0',
  directory: '5',
  symlink: '2',
};

// A number as NUL-terminated octal in a field of `width` bytes.
const writeOctal = (block: Buffer, offset: number, width: number, value: number): void => {
  block.write(`${Math.floor(value).toString(8).padStart(width - 1, '0')}\0`, offset, width, 'latin1');
};

const fitsUstar = (text: string, max: number): boolean =>
  Buffer.byteLength(text, 'utf8') <= max && /^[\u0020-\u007E]*$/u.test(text);

// One pax record: "<length> key=value\n", where length counts the whole record.
const paxRecord = (key: string, value: string): string => {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = Buffer.byteLength(body, 'utf8');
  let length = bodyBytes + String(bodyBytes).length;
  // Adding the length's own digits may add a digit to it.
  length = bodyBytes + String(length).length;
  return `${length}${body}`;
};

const headerBlock = (
  name: string,
  flag: string,
  mode: number,
  size: number,
  mtimeMs: number,
  linkTarget: string,
): Buffer => {
  const block = Buffer.alloc(BLOCK_BYTES);
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, mode & 0o7777);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, mtimeMs / 1000);
  block.write(flag, 156, 1, 'latin1');
  block.write(linkTarget, 157, 100, 'utf8');
  block.write('ustar\0', 257, 6, 'latin1');
  block.write('00', 263, 2, 'latin1');
  // The checksum is computed with its own field as eight spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) {
    sum += byte;
  }
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return block;
};

/** The header blocks of an entry: a pax header first when its name or link needs one. */
export const encodeHeader = (entry: TarEntry): Buffer => {
  const records: string[] = [];
  if (!fitsUstar(entry.name, 100)) {
    records.push(paxRecord('path', entry.name));
  }
  if (!fitsUstar(entry.linkTarget, 100)) {
    records.push(paxRecord('linkpath', entry.linkTarget));
  }
  // Whole seconds in the ustar field; the exact time in pax, so mtimes survive to the millisecond.
  if (entry.mtimeMs % 1000 !== 0) {
    records.push(paxRecord('mtime', (entry.mtimeMs / 1000).toFixed(3)));
  }
  const main = headerBlock(
    entry.name.slice(0, 100),
    TYPE_FLAGS[entry.type],
    entry.mode,
    entry.size,
    entry.mtimeMs,
    entry.linkTarget.slice(0, 100),
  );
  if (records.length === 0) {
    return main;
  }
  const pax = Buffer.from(records.join(''), 'utf8');
  const padded = Buffer.alloc(Math.ceil(pax.byteLength / BLOCK_BYTES) * BLOCK_BYTES);
  pax.copy(padded);
  return Buffer.concat([headerBlock('./PaxHeader', 'x', 0o644, pax.byteLength, 0, ''), padded, main]);
};

/** Zero bytes that pad contents of `size` bytes to a whole block. */
export const paddingFor = (size: number): Buffer =>
  Buffer.alloc((BLOCK_BYTES - (size % BLOCK_BYTES)) % BLOCK_BYTES);

/** The end of an archive: two zero blocks. */
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK_BYTES * 2);

const tarError = (message: string): ExecError => new ExecError('ERR_EXEC_TAR', message);

// A NUL- or space-terminated octal field, or a base-256 one (high bit set) for large values.
const readNumber = (block: Buffer, offset: number, width: number, field: string): number => {
  const first = block[offset] ?? 0;
  if ((first & 0x80) !== 0) {
    let value = first & 0x7f;
    for (let index = offset + 1; index < offset + width; index += 1) {
      value = value * 256 + (block[index] ?? 0);
    }
    return value;
  }
  const text = block.toString('latin1', offset, offset + width).replace(/[\0 ]+$/u, '').trim();
  if (!/^[0-7]*$/u.test(text)) {
    throw tarError(`A tar header's ${field} field is not octal (${JSON.stringify(text)}): is this a tar archive?`);
  }
  return text === '' ? 0 : Number.parseInt(text, 8);
};

const readText = (block: Buffer, offset: number, width: number): string => {
  const field = block.subarray(offset, offset + width);
  const end = field.indexOf(0);
  return field.toString('utf8', 0, end === -1 ? width : end);
};

/** A raw header: its type flag, fields, and the pax records that precede it. */
export interface RawHeader {
  readonly flag: string;
  readonly name: string;
  readonly mode: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly linkTarget: string;
}

/** Decodes one header block; `undefined` for a zero block (the end). */
export const decodeHeader = (block: Buffer): RawHeader | undefined => {
  if (block.every((byte) => byte === 0)) {
    return undefined;
  }
  const expected = readNumber(block, 148, 8, 'checksum');
  let sum = 0;
  for (let index = 0; index < BLOCK_BYTES; index += 1) {
    sum += index >= 148 && index < 156 ? 0x20 : (block[index] ?? 0);
  }
  if (sum !== expected) {
    throw tarError('A tar header has a wrong checksum: the archive is corrupt or not a tar archive');
  }
  const prefix = block.toString('latin1', 257, 262) === 'ustar' ? readText(block, 345, 155) : '';
  const name = readText(block, 0, 100);
  return {
    flag: String.fromCodePoint(block[156] ?? 0),
    name: prefix === '' ? name : `${prefix}/${name}`,
    mode: readNumber(block, 100, 8, 'mode'),
    size: readNumber(block, 124, 12, 'size'),
    mtimeMs: readNumber(block, 136, 12, 'mtime') * 1000,
    linkTarget: readText(block, 157, 100),
  };
};

/** The records of a pax extended header's contents. */
export const parsePaxRecords = (contents: Buffer): ReadonlyMap<string, string> => {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < contents.byteLength) {
    const space = contents.indexOf(0x20, offset);
    const length = Number(contents.toString('latin1', offset, space));
    if (space === -1 || !Number.isInteger(length) || length <= 0) {
      throw tarError('A pax header of the archive is malformed');
    }
    const record = contents.toString('utf8', space + 1, offset + length - 1);
    const equals = record.indexOf('=');
    if (equals > 0) {
      records.set(record.slice(0, equals), record.slice(equals + 1));
    }
    offset += length;
  }
  return records;
};
