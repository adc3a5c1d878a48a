// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** What a `StreamTap` keeps. */
export interface StreamTapOptions {
  /** Bytes kept for whoever takes the stream later (default 64 KiB; older output is dropped). */
  readonly replayBytes?: number;
  /** Characters of recent text kept for `tail()` (default 8 KiB). */
  readonly tailChars?: number;
}

const DEFAULT_REPLAY_BYTES = 64 * 1024;
const DEFAULT_TAIL_CHARS = 8 * 1024;

/**
 * Drains a child's output pipe so that the child never blocks on a full pipe, keeps its recent
 * text for error messages, and hands the stream over once: the taker gets the output kept so far
 * followed by everything after, with backpressure from then on.
 */
export class StreamTap {
  readonly #source: Readable;
  readonly #replayLimit: number;
  readonly #tailLimit: number;
  readonly #decoder = new StringDecoder('utf8');
  readonly #ended: Promise<void>;
  #replay: Buffer[] = [];
  #replayBytes = 0;
  #recent = '';
  #output: Readable | undefined;
  #taken = false;
  #done = false;
  #error: Error | undefined;
  // Everything seen so far is searched once, then each new chunk with the end of what came before.
  #waiters = new Set<{ readonly text: string; readonly settle: (seen: boolean) => void }>();

  constructor(source: Readable, options: StreamTapOptions = {}) {
    this.#source = source;
    this.#replayLimit = options.replayBytes ?? DEFAULT_REPLAY_BYTES;
    this.#tailLimit = options.tailChars ?? DEFAULT_TAIL_CHARS;
    this.#ended = new Promise<void>((resolve) => {
      source.once('close', resolve);
    });
    source.on('data', (chunk: Buffer | string) => this.#onData(chunk));
    source.once('end', () => this.#onEnd());
    source.once('error', (error: Error) => this.#onError(error));
  }

  /** Whether `take()` was called. */
  get taken(): boolean {
    return this.#taken;
  }

  /** Settles when the source stream has closed: all of its output has been seen. */
  get closed(): Promise<void> {
    return this.#ended;
  }

  /** The last `lines` lines of text seen so far (default 20). */
  tail(lines = 20): string {
    const all = this.#recent.split('\n');
    // The text after the last newline is a line in progress; a final newline leaves an empty one.
    if (all.at(-1) === '') {
      all.pop();
    }
    return all.slice(-lines).join('\n');
  }

  /**
   * Resolves true once `text` appears in the output (among the last characters kept, when it came
   * before), false when the stream ends first or `signal` aborts.
   */
  waitForText(text: string, signal: AbortSignal): Promise<boolean> {
    if (this.#recent.includes(text)) {
      return Promise.resolve(true);
    }
    if (this.#done || this.#error !== undefined || signal.aborted) {
      return Promise.resolve(false);
    }
    return new Promise<boolean>((resolve) => {
      const waiter = {
        text,
        settle: (seen: boolean) => {
          this.#waiters.delete(waiter);
          signal.removeEventListener('abort', onAbort);
          resolve(seen);
        },
      };
      const onAbort = (): void => waiter.settle(false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /** Takes the stream: the output kept so far, then the rest. Returns undefined when taken. */
  take(): Readable | undefined {
    if (this.#taken) {
      return undefined;
    }
    this.#taken = true;
    const output = new Readable({
      read: () => this.#source.resume(),
    });
    for (const chunk of this.#replay) {
      output.push(chunk);
    }
    this.#replay = [];
    this.#replayBytes = 0;
    if (this.#error !== undefined) {
      output.destroy(this.#error);
      return output;
    }
    if (this.#done) {
      output.push(null);
      return output;
    }
    this.#output = output;
    output.once('close', () => {
      // The taker stopped reading: go back to draining, or the child would block on the pipe.
      if (this.#output === output) {
        this.#output = undefined;
        this.#source.resume();
      }
    });
    return output;
  }

  #onData(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.#recent = (this.#recent + this.#decoder.write(bytes)).slice(-this.#tailLimit);
    for (const waiter of this.#waiters) {
      if (this.#recent.includes(waiter.text)) {
        waiter.settle(true);
      }
    }
    if (this.#output !== undefined) {
      if (!this.#output.push(bytes)) {
        this.#source.pause();
      }
      return;
    }
    if (this.#taken) {
      return;
    }
    this.#replay.push(bytes);
    this.#replayBytes += bytes.length;
    while (this.#replayBytes > this.#replayLimit && this.#replay.length > 1) {
      this.#replayBytes -= this.#replay.shift()?.length ?? 0;
    }
  }

  #onEnd(): void {
    this.#done = true;
    this.#recent = (this.#recent + this.#decoder.end()).slice(-this.#tailLimit);
    this.#output?.push(null);
    for (const waiter of this.#waiters) {
      waiter.settle(this.#recent.includes(waiter.text));
    }
  }

  #onError(error: Error): void {
    this.#error = error;
    this.#output?.destroy(error);
    for (const waiter of this.#waiters) {
      waiter.settle(false);
    }
  }
}
