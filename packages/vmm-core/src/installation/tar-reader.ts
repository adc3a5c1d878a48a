// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { open } from 'node:fs/promises';
import { VmmCoreError } from '../errors.js';

const BLOCK = 512;
const EMPTY = Buffer.alloc(0);

/** Reads exact byte counts from a stream of chunks, buffering only what a caller asked for. */
class ChunkReader {
  readonly #iterator: AsyncIterator<Buffer>;
  #pending: Buffer = EMPTY;

  constructor(source: AsyncIterable<Buffer>) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  /** The next `size` bytes, or `undefined` when the stream ends first (a truncated archive). */
  async read(size: number): Promise<Buffer | undefined> {
    const parts: Buffer[] = [];
    let missing = size;
    for await (const chunk of this.#chunks(size)) {
      parts.push(chunk);
      missing -= chunk.length;
    }
    return missing === 0 ? Buffer.concat(parts, size) : undefined;
  }

  /** Yields the next `size` bytes as they arrive; yields fewer when the stream ends first. */
  async *#chunks(size: number): AsyncGenerator<Buffer> {
    let left = size;
    while (left > 0) {
      if (this.#pending.length === 0) {
        const next = await this.#iterator.next();
        if (next.done === true) {
          return;
        }
        this.#pending = next.value;
        continue;
      }
      const part = this.#pending.subarray(0, left);
      this.#pending = this.#pending.subarray(part.length);
      left -= part.length;
      yield part;
    }
  }

  /** Reads the stream to its end, dropping what is left (GNU tar pads archives with zeros). */
  async drain(): Promise<void> {
    this.#pending = EMPTY;
    for (let next = await this.#iterator.next(); next.done !== true;) {
      next = await this.#iterator.next();
    }
  }

  /** Consumes `size` bytes, handing each chunk to `sink`; false when the stream ends first. */
  async forward(size: number, sink: (chunk: Buffer) => Promise<void>): Promise<boolean> {
    let seen = 0;
    for await (const chunk of this.#chunks(size)) {
      await sink(chunk);
      seen += chunk.length;
    }
    return seen === size;
  }
}

const readString = (header: Buffer, offset: number, length: number): string => {
  const field = header.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
};

const readOctal = (header: Buffer, offset: number, length: number): number => {
  const text = readString(header, offset, length).trim();
  // GNU tar switches to base-256 (first byte 0x80) beyond 8 GiB; no release file is that large.
  if (!/^[0-7]*$/u.test(text)) {
    throw new VmmCoreError(
      'ERR_DOWNLOAD_FAILED',
      'The release tarball is not a valid tar archive (a header field is not octal).',
    );
  }
  return text === '' ? 0 : Number.parseInt(text, 8);
};

const hasValidChecksum = (header: Buffer): boolean => {
  let sum = 0;
  for (let index = 0; index < BLOCK; index += 1) {
    // The checksum field itself counts as eight spaces.
    sum += index >= 148 && index < 156 ? 0x20 : (header[index] ?? 0);
  }
  return sum === readOctal(header, 148, 8);
};

// A pax extended header is a list of "<length> <key>=<value>\n" records.
const readPaxPath = (data: Buffer): string | undefined => {
  let rest = data;
  while (rest.length > 0) {
    const space = rest.indexOf(0x20);
    const lengthText = rest.subarray(0, space).toString('ascii');
    const length = /^\d+$/u.test(lengthText) ? Number(lengthText) : Number.NaN;
    if (space === -1 || !Number.isSafeInteger(length) || length <= space) {
      return undefined;
    }
    const record = rest.subarray(space + 1, length - 1).toString('utf8');
    if (record.startsWith('path=')) {
      return record.slice('path='.length);
    }
    rest = rest.subarray(length);
  }
  return undefined;
};

const truncated = (): VmmCoreError =>
  new VmmCoreError('ERR_DOWNLOAD_FAILED', 'The release tarball ends in the middle of a file.');

const normalizeName = (name: string): string => name.replace(/^(?:\.\/)+/u, '');

/**
 * Extracts the regular files named in `wanted` (archive name → destination path) from an
 * uncompressed tar stream (ustar, GNU long names, pax paths), writing each with mode 0755, and
 * returns the names it found. Archive names never become paths, so a hostile archive cannot
 * write outside the destinations.
 */
export const extractTarMembers = async (
  source: AsyncIterable<Buffer>,
  wanted: ReadonlyMap<string, string>,
): Promise<Set<string>> => {
  const reader = new ChunkReader(source);
  const found = new Set<string>();
  let nextName: string | undefined;
  for (;;) {
    const header = await reader.read(BLOCK);
    if (header === undefined) {
      return found;
    }
    if (header.every((byte) => byte === 0)) {
      await reader.drain();
      return found;
    }
    if (!hasValidChecksum(header)) {
      throw new VmmCoreError(
        'ERR_DOWNLOAD_FAILED',
        'The release tarball is not a valid tar archive (header checksum mismatch).',
      );
    }
    const size = readOctal(header, 124, 12);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    const type = String.fromCodePoint(header[156] ?? 0);
    const prefix = readString(header, 345, 155);
    const name =
      nextName ??
      normalizeName(
        prefix === '' ? readString(header, 0, 100) : `${prefix}/${readString(header, 0, 100)}`,
      );
    nextName = undefined;
    const destination = wanted.get(name);
    if (type === 'L' || type === 'x') {
      const data = await reader.read(padded);
      if (data === undefined) {
        throw truncated();
      }
      const longName =
        type === 'L' ? readString(data, 0, size) : readPaxPath(data.subarray(0, size));
      nextName = longName === undefined ? undefined : normalizeName(longName);
      continue;
    }
    if ((type === '0' || type === '\0') && destination !== undefined) {
      const file = await open(destination, 'wx');
      try {
        // Set after opening, so the umask cannot take the execute bits away.
        await file.chmod(0o755);
        const complete = await reader.forward(size, async (chunk) => {
          await file.write(chunk);
        });
        if (!complete) {
          throw truncated();
        }
      } finally {
        await file.close();
      }
      found.add(name);
      if (!(await reader.forward(padded - size, async () => {}))) {
        throw truncated();
      }
      continue;
    }
    if (!(await reader.forward(padded, async () => {}))) {
      throw truncated();
    }
  }
};
