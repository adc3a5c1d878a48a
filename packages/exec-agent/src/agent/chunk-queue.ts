// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * Received chunks as an async iterable. A chunk counts as consumed (and `onConsumed` grants the
 * peer that much credit) when the reader asks for the next one, so flow control follows the
 * reader's pace, not the socket's.
 */
export class ChunkQueue implements AsyncIterable<Buffer> {
  readonly #onConsumed: (bytes: number) => void;
  readonly #chunks: Buffer[] = [];
  #ended = false;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(onConsumed: (bytes: number) => void) {
    this.#onConsumed = onConsumed;
  }

  /** Adds a received chunk. */
  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#wake?.();
  }

  /** No more chunks will come. */
  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  /** The reader's next call throws `error`. */
  fail(error: Error): void {
    this.#failure ??= error;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      if (this.#failure !== undefined) {
        throw this.#failure;
      }
      const chunk = this.#chunks.shift();
      if (chunk !== undefined) {
        yield chunk;
        this.#onConsumed(chunk.byteLength);
        continue;
      }
      if (this.#ended) {
        return;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }
}
