// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import { ExecError } from './errors.js';
import {
  BLOCK_BYTES,
  decodeHeader,
  parsePaxRecords,
  type TarEntry,
  type TarEntryType,
} from './tar-header.js';

const ENTRY_TYPES: Readonly<Record<string, TarEntryType>> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '5': 'directory',
  '2': 'symlink',
};

// Pax headers larger than this are not a name and a link: refused before being buffered.
const MAX_PAX_BYTES = 1024 * 1024;

// The contents of a folder or a link: none.
async function* emptyContents(): AsyncGenerator<Buffer> {}

/** Reads exact byte counts from a stream, holding at most one chunk beyond what was asked. */
class ByteReader {
  readonly #chunks: AsyncIterator<Buffer>;
  #buffer: Buffer = Buffer.alloc(0);
  #done = false;

  constructor(source: Readable) {
    this.#chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Fills the buffer to `bytes`, or to what is left at the end. */
  async #fill(bytes: number): Promise<void> {
    while (this.#buffer.byteLength < bytes && !this.#done) {
      const next = await this.#chunks.next();
      if (next.done === true) {
        this.#done = true;
      } else {
        this.#buffer =
          this.#buffer.byteLength === 0 ? next.value : Buffer.concat([this.#buffer, next.value]);
      }
    }
  }

  /** Exactly `bytes` bytes, or an `ERR_EXEC_TAR` error when the stream ends first. */
  async read(bytes: number): Promise<Buffer> {
    await this.#fill(bytes);
    if (this.#buffer.byteLength < bytes) {
      throw new ExecError('ERR_EXEC_TAR', 'The archive ends in the middle of an entry: it is truncated');
    }
    const out = this.#buffer.subarray(0, bytes);
    this.#buffer = this.#buffer.subarray(bytes);
    return out;
  }

  /** Up to `max` bytes (at least one), for streaming contents; never more than is buffered. */
  async readSome(max: number): Promise<Buffer> {
    await this.#fill(1);
    if (this.#buffer.byteLength === 0) {
      throw new ExecError('ERR_EXEC_TAR', 'The archive ends in the middle of an entry: it is truncated');
    }
    const out = this.#buffer.subarray(0, Math.min(max, this.#buffer.byteLength));
    this.#buffer = this.#buffer.subarray(out.byteLength);
    return out;
  }

  /** Reads the rest of the stream, so its producer finishes. */
  async drain(): Promise<void> {
    while (!this.#done) {
      const next = await this.#chunks.next();
      this.#done = next.done === true;
    }
  }
}

/** One entry as the reader hands it out: its header and, for a file, its contents in chunks. */
export interface TarReaderEntry extends TarEntry {
  readonly contents: AsyncIterable<Buffer>;
}

/**
 * The entries of a tar archive streamed from `source`, in order: regular files, directories and
 * symlinks. Other kinds (hard links, devices, FIFOs) are refused with `ERR_EXEC_TAR` naming the
 * entry. A file's `contents` must be consumed before the next entry is asked for.
 */
export async function* readTarEntries(source: Readable): AsyncGenerator<TarReaderEntry> {
  const reader = new ByteReader(source);
  let pax = new Map<string, string>();
  for (;;) {
    const header = decodeHeader(await reader.read(BLOCK_BYTES));
    if (header === undefined) {
      await reader.drain();
      return;
    }
    if (header.flag === 'x' || header.flag === 'g') {
      if (header.size > MAX_PAX_BYTES) {
        throw new ExecError('ERR_EXEC_TAR', `A pax header of ${header.size} bytes is refused: at most ${MAX_PAX_BYTES}`);
      }
      const padded = Math.ceil(header.size / BLOCK_BYTES) * BLOCK_BYTES;
      const contents = (await reader.read(padded)).subarray(0, header.size);
      if (header.flag === 'x') {
        pax = new Map(parsePaxRecords(contents));
      }
      continue;
    }
    const name = pax.get('path') ?? header.name;
    const type = ENTRY_TYPES[header.flag];
    if (type === undefined) {
      throw new ExecError(
        'ERR_EXEC_TAR',
        `The archive's entry ${JSON.stringify(name)} is of tar type ${JSON.stringify(header.flag)}: only files, folders and symlinks are carried`,
      );
    }
    const paxSize = pax.get('size');
    const size = paxSize === undefined ? header.size : Number(paxSize);
    const paxMtime = pax.get('mtime');
    const mtimeMs = paxMtime === undefined ? header.mtimeMs : Math.round(Number(paxMtime) * 1000);
    const linkTarget = pax.get('linkpath') ?? header.linkTarget;
    pax = new Map();
    const fileSize = type === 'file' ? size : 0;
    // Bytes of the entry's data in the archive: a folder or link that declares some has them skipped.
    let left = size;
    const readContents = async function* (): AsyncGenerator<Buffer> {
      while (left > 0) {
        const chunk = await reader.readSome(left);
        left -= chunk.byteLength;
        yield chunk;
      }
    };
    const contents: AsyncIterable<Buffer> = type === 'file' ? readContents() : emptyContents();
    yield { name, type, mode: header.mode, size: fileSize, mtimeMs, linkTarget, contents };
    // Whatever of the contents the consumer left, then the padding.
    while (left > 0) {
      left -= (await reader.readSome(left)).byteLength;
    }
    const padding = (BLOCK_BYTES - (size % BLOCK_BYTES)) % BLOCK_BYTES;
    if (padding > 0) {
      await reader.read(padding);
    }
  }
}
