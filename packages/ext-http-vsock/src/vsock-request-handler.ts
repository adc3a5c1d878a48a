// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';

type Handler = Dispatcher.DispatchHandler;
type Controller = Dispatcher.DispatchController;
type Headers = Parameters<NonNullable<Handler['onResponseStart']>>[2];

/**
 * Wraps a request's handler so that its failure is explained first (`explain` may take a moment
 * to ask whether the VM ended); everything else passes straight through.
 */
export class VsockRequestHandler implements Handler {
  readonly #handler: Handler;
  readonly #explain: (error: Error) => Error | Promise<Error>;

  constructor(handler: Handler, explain: (error: Error) => Error | Promise<Error>) {
    this.#handler = handler;
    this.#explain = explain;
  }

  onRequestStart(controller: Controller, context: unknown): void {
    this.#handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(controller: Controller, statusCode: number, headers: Headers, socket: Duplex) {
    this.#handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStarted(): void {
    this.#handler.onResponseStarted?.();
  }

  onResponseStart(
    controller: Controller,
    statusCode: number,
    headers: Headers,
    statusMessage?: string,
  ): void {
    this.#handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    this.#handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Controller, trailers: Headers): void {
    this.#handler.onResponseEnd?.(controller, trailers);
  }

  onBodySent(chunk: Buffer): void {
    this.#handler.onBodySent?.(chunk);
  }

  onRequestSent(): void {
    this.#handler.onRequestSent?.();
  }

  onResponseError(controller: Controller, error: Error): void {
    const explained = this.#explain(error);
    if (explained instanceof Promise) {
      void explained.then((final) => this.#handler.onResponseError?.(controller, final));
    } else {
      this.#handler.onResponseError?.(controller, explained);
    }
  }
}
