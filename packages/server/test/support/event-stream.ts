// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VmEvent } from '@kindling/client';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { request } from 'undici';
import type { ApiCaller } from './server-fixture.js';

/** A server-sent event stream read as VM events. */
export class EventStream implements AsyncDisposable {
  readonly contentType: string;
  readonly #events: VmEvent[] = [];
  readonly #waiters = new Set<() => void>();
  readonly #controller: AbortController;
  readonly #done: Promise<void>;

  private constructor(
    contentType: string,
    body: AsyncIterable<Buffer>,
    controller: AbortController,
  ) {
    this.contentType = contentType;
    this.#controller = controller;
    this.#done = (async () => {
      let text = '';
      try {
        for await (const chunk of body) {
          text += chunk.toString('utf8');
          let end = text.indexOf('\n\n');
          while (end !== -1) {
            const data = text
              .slice(0, end)
              .split('\n')
              .find((line) => line.startsWith('data: '));
            if (data !== undefined) {
              this.#events.push(JSON.parse(data.slice('data: '.length)) as VmEvent);
              for (const wake of this.#waiters) {
                wake();
              }
            }
            text = text.slice(end + 2);
            end = text.indexOf('\n\n');
          }
        }
      } catch {
        // Closed by dispose.
      }
    })();
  }

  static async open(caller: ApiCaller, path: string): Promise<EventStream> {
    const controller = new AbortController();
    const answer = await request(`${caller.origin}${path}`, {
      dispatcher: caller.dispatcher,
      signal: controller.signal,
      headers: caller.token === undefined ? {} : { authorization: `Bearer ${caller.token}` },
    });
    return new EventStream(String(answer.headers['content-type']), answer.body, controller);
  }

  get events(): readonly VmEvent[] {
    return this.#events;
  }

  /** Waits for an event that matches, among those received so far and those to come. */
  async waitFor(match: (event: VmEvent) => boolean): Promise<VmEvent> {
    const deadline = AbortSignal.timeout(TEST_WAIT_MS);
    for (;;) {
      const found = this.#events.find(match);
      if (found !== undefined) {
        return found;
      }
      deadline.throwIfAborted();
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.#waiters.delete(wake);
          deadline.removeEventListener('abort', wake);
          resolve();
        };
        this.#waiters.add(wake);
        deadline.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Resolves when the server ended the stream. */
  get ended(): Promise<void> {
    return this.#done;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#controller.abort();
    await this.#done;
  }
}
