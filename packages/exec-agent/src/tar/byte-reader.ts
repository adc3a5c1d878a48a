// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * Reads exact byte counts from an async iterable of chunks, without joining more than one
 * header's worth: bulk data is handed on chunk by chunk.
 */
export class ByteReader {
  readonly #source: AsyncIterator<Uint8Array>;
  #current: Buffer = Buffer.alloc(0);
  #ended = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#source = source[Symbol.asyncIterator]();
  }

  async #fill(): Promise<boolean> {
    while (this.#current.byteLength === 0 && !this.#ended) {
      const next = await this.#source.next();
      if (next.done === true) {
        this.#ended = true;
      } else {
        this.#current = Buffer.from(
          next.value.buffer,
          next.value.byteOffset,
          next.value.byteLength,
        );
      }
    }
    return this.#current.byteLength > 0;
  }

  /** Exactly `length` bytes, or fewer only when the source ended. */
  async read(length: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < length && (await this.#fill())) {
      const take = this.#current.subarray(0, length - got);
      this.#current = this.#current.subarray(take.byteLength);
      parts.push(take);
      got += take.byteLength;
    }
    return parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts, got);
  }

  /** The next `length` bytes as the chunks they arrived in; stops early when the source ends. */
  async *chunks(length: number): AsyncGenerator<Buffer> {
    let left = length;
    while (left > 0 && (await this.#fill())) {
      const take = this.#current.subarray(0, left);
      this.#current = this.#current.subarray(take.byteLength);
      left -= take.byteLength;
      yield take;
    }
  }

  /** Reads to the end of the source, discarding (trailing zero blocks). */
  async drain(): Promise<void> {
    while (await this.#fill()) {
      this.#current = Buffer.alloc(0);
    }
  }
}
