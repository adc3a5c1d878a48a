// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createDeadline } from '@kindling/helpers';
import type { ResolvedWaitOptions } from './call-options.js';
import { VmError } from './errors.js';

/** What a serial line is matched with: text it contains, or a regular expression it matches. */
export type SerialLineMatch = string | RegExp;

// Bounds of what is kept for waits that start late: a chatty guest must not grow memory.
const MAX_TAIL_CHARS = 256 * 1024;
const MAX_LINE_CHARS = 16 * 1024;

interface Waiter {
  readonly caller: string;
  readonly match: SerialLineMatch;
  readonly test: (line: string) => boolean;
  readonly resolve: (line: string) => void;
  readonly reject: (error: Error) => void;
}

/** How a wait is described in messages, e.g. `line containing "ready"`. */
const describeMatch = (match: SerialLineMatch): string =>
  typeof match === 'string'
    ? `line containing ${JSON.stringify(match)}`
    : `line matching ${String(match)}`;

const testerOf = (match: SerialLineMatch): ((line: string) => boolean) => {
  if (typeof match === 'string') {
    return (line) => line.includes(match);
  }
  // Without `g` and `y`, `test` keeps no `lastIndex` between lines.
  const pattern = new RegExp(match.source, match.flags.replaceAll(/[gy]/gu, ''));
  return (line) => pattern.test(line);
};

/**
 * A VM's serial output split into lines: it reads its source to the end, keeps a bounded tail
 * of recent lines (256 KiB) so that a wait that starts late still sees them, and resolves waits
 * as matching lines arrive. A trailing `\r` (a Linux console's line end) is dropped.
 */
export class SerialLines {
  readonly #source: Readable;
  readonly #decoder = new StringDecoder('utf8');
  readonly #waiters = new Set<Waiter>();
  readonly #closed: Promise<void>;
  #lines: string[] = [];
  #chars = 0;
  #partial = '';
  #end: VmError | undefined;

  /** Starts reading `source`; `describeSource` names it when it ends (`Firecracker's stdout`). */
  constructor(
    source: Readable,
    readonly describeSource: string,
  ) {
    this.#source = source;
    this.#closed = new Promise<void>((resolve) => {
      source.once('close', resolve);
    });
    source.on('data', (chunk: Buffer | string) => {
      this.#take(typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    });
    source.once('end', () => this.#finish());
    source.once('error', (error: Error) => this.#finish(error));
    // A source destroyed by `close()` emits neither `end` nor `error`.
    source.once('close', () => this.#finish());
  }

  /** Resolves with the first line, kept or to come, that matches; see `vm.waitForSerialLine`. */
  async wait(
    match: SerialLineMatch,
    options: ResolvedWaitOptions & { readonly caller: string },
  ): Promise<string> {
    const test = testerOf(match);
    const kept = this.#lines.find(test);
    if (kept !== undefined) {
      return kept;
    }
    if (this.#end !== undefined) {
      throw this.#endError(options.caller, match, this.#end);
    }
    options.signal?.throwIfAborted();
    const deadline = createDeadline(options.timeoutMs, options.signal);
    const found = await new Promise<string>((resolve, reject) => {
      const settle = (): void => {
        this.#waiters.delete(waiter);
        deadline.signal.removeEventListener('abort', onAbort);
        deadline[Symbol.dispose]();
      };
      const waiter: Waiter = {
        caller: options.caller,
        match,
        test,
        resolve: (line) => {
          settle();
          resolve(line);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      const onAbort = (): void => {
        waiter.reject(
          deadline.timedOut
            ? new VmError(
                'ERR_WAIT_TIMEOUT',
                `${options.caller}: no ${describeMatch(match)} on the serial output within ${options.timeoutMs} ms`,
              )
            : (deadline.signal.reason as Error),
        );
      };
      this.#waiters.add(waiter);
      deadline.signal.addEventListener('abort', onAbort, { once: true });
    });
    return found;
  }

  /** Stops reading and fails the waits still pending; resolves once the source is closed. */
  close(): Promise<void> {
    this.#source.destroy();
    return this.#closed;
  }

  #take(text: string): void {
    const parts = `${this.#partial}${text}`.split('\n');
    this.#partial = parts.pop() ?? '';
    // A line that never ends is cut, so that it cannot grow without bound.
    while (this.#partial.length > MAX_LINE_CHARS) {
      parts.push(this.#partial.slice(0, MAX_LINE_CHARS));
      this.#partial = this.#partial.slice(MAX_LINE_CHARS);
    }
    for (const part of parts) {
      this.#add(part.endsWith('\r') ? part.slice(0, -1) : part);
    }
  }

  #add(line: string): void {
    this.#lines.push(line);
    this.#chars += line.length;
    while (this.#chars > MAX_TAIL_CHARS && this.#lines.length > 1) {
      this.#chars -= this.#lines.shift()?.length ?? 0;
    }
    for (const waiter of this.#waiters) {
      if (waiter.test(line)) {
        waiter.resolve(line);
      }
    }
  }

  #finish(error?: Error): void {
    if (this.#end !== undefined) {
      return;
    }
    const rest = this.#decoder.end();
    if (`${this.#partial}${rest}` !== '') {
      this.#take(`${rest}\n`);
    }
    this.#end = new VmError(
      'ERR_SERIAL_ENDED',
      error === undefined
        ? `${this.describeSource} ended`
        : `${this.describeSource} failed: ${error.message}`,
      error === undefined ? undefined : { cause: error },
    );
    for (const waiter of this.#waiters) {
      waiter.reject(this.#endError(waiter.caller, waiter.match, this.#end));
    }
  }

  #endError(caller: string, match: SerialLineMatch, end: VmError): VmError {
    return new VmError(
      'ERR_SERIAL_ENDED',
      `${caller}: ${end.message} before a ${describeMatch(match)}: the guest never printed it (did Firecracker exit?)`,
      { cause: end },
    );
  }
}
