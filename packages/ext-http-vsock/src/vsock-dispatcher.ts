// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describeValue } from '@kindling/helpers';
import { createVsockConnector, VmEndWatch } from '@kindling/vm';
import { Pool, type Dispatcher } from 'undici';
import { resolveDispatcherOptions, type VsockDispatcherOptions } from './dispatcher-options.js';
import { HttpVsockError } from './errors.js';
import { createVmEndedError, explainFailure, type RequestTarget } from './request-failure.js';
import { VsockRequestHandler } from './vsock-request-handler.js';
import type { VsockVm } from './vsock-vm.js';

// A refused request is over before it began: nothing to abort, pause or resume.
const ignore = (): void => {};

// undici's own refusals pass no controller; a handler gets one that says the request is over.
const refusedController = (reason: Error): Dispatcher.DispatchController => ({
  aborted: true,
  paused: false,
  reason,
  abort: ignore,
  pause: ignore,
  resume: ignore,
});

const STATE_HINTS: Readonly<Record<string, string>> = {
  'not-started': 'start it and wait for its guest service first',
  paused: 'resume it first (Firecracker serves no vsock connection while the VM is paused)',
};

const VM_METHODS = ['connectVsock', 'getInfo', 'addEventListener', 'removeEventListener'] as const;

// Checked first: a value without these methods would fail later with a TypeError, or not until
// the first request.
const checkVm = (vm: unknown): void => {
  if (
    typeof vm !== 'object' ||
    vm === null ||
    VM_METHODS.some((method) => typeof (vm as Record<string, unknown>)[method] !== 'function')
  ) {
    throw new HttpVsockError(
      'ERR_INVALID_INPUT',
      `vm: expected a Vm (an object with ${VM_METHODS.join(', ')}), got ${describeValue(vm)}`,
    );
  }
};

/**
 * An undici dispatcher whose connections are vsock connections to one guest port of one VM: a
 * `Pool` of keep-alive HTTP/1.1 connections (no pipelining), each opened by
 * `vm.connectVsock(port)` within `connectTimeoutMs`. Give it as `dispatcher` to undici's
 * `request`, `fetch` or `stream`, or call `dispatcher.request()`.
 *
 * A request to a VM that is not running fails at once with `ERR_WRONG_STATE`. When the VM ends,
 * every queued and pending request fails at once with `ERR_VM_ENDED`, its connections are
 * destroyed, and so are later requests; a vsock failure of a live VM passes through from
 * `@kindling/vm` (`ERR_VSOCK_CLOSED`: nothing listens on the port). `close()` waits for the
 * requests in flight, then closes every connection; `destroy()` does not wait; `await using`
 * closes.
 */
export class VsockDispatcher extends Pool implements AsyncDisposable {
  /** The guest port every connection goes to. */
  readonly port: number;
  /** The origin requests are made to (the `Host` header the guest sees). */
  readonly origin: string;
  readonly #vm: VsockVm;
  readonly #watch: VmEndWatch;
  // Handed to the pool when the VM ends, so that every request it fails is recognised.
  readonly #endMarker = new Error('the VM ended');

  constructor(vm: VsockVm, port: number, options?: VsockDispatcherOptions) {
    checkVm(vm);
    const resolved = resolveDispatcherOptions(port, options);
    super(resolved.options.origin, {
      connect: createVsockConnector(vm, resolved.port, {
        timeoutMs: resolved.options.connectTimeoutMs,
      }),
      connections: resolved.options.connections,
      // One request at a time on each connection: keep-alive, without pipelining.
      pipelining: 1,
      keepAliveTimeout: resolved.options.keepAliveTimeoutMs,
      headersTimeout: resolved.options.headersTimeoutMs,
      bodyTimeout: resolved.options.bodyTimeoutMs,
    });
    this.port = resolved.port;
    this.origin = resolved.options.origin;
    this.#vm = vm;
    this.#watch = new VmEndWatch(vm, () => {
      // Not awaited: destroy() fails the requests at once, then waits for the sockets to close.
      void super.destroy(this.#endMarker);
    });
  }

  /** Sends one request through the pool; refuses it at once when the VM does not run. */
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
    const target: RequestTarget = { request: `${options.method} ${options.path}`, port: this.port };
    const refusal = this.#refusal(target);
    if (refusal !== undefined) {
      handler.onResponseError?.(refusedController(refusal), refusal);
      return false;
    }
    const explain = (error: Error) => explainFailure(error, target, this.#watch, this.#endMarker);
    return super.dispatch(options, new VsockRequestHandler(handler, explain));
  }

  #refusal(target: RequestTarget): HttpVsockError | undefined {
    const end = this.#watch.end;
    if (end !== undefined) {
      return createVmEndedError(target, end, { pending: false });
    }
    const { state } = this.#vm;
    if (state === 'running') {
      return undefined;
    }
    return new HttpVsockError(
      'ERR_WRONG_STATE',
      `${target.request} to guest port ${target.port} needs the VM to be "running", but it is "${state}": ${STATE_HINTS[state] ?? 'start or restore a VM'}`,
    );
  }

  /** Destroys the pool at once (pending requests fail) and stops watching the VM. */
  override destroy(): Promise<void>;
  override destroy(error: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(error: Error | null, callback: () => void): void;
  override destroy(
    first?: Error | null | (() => void),
    callback?: () => void,
  ): Promise<void> | undefined {
    // close() ends with destroy() too: either way the VM is no longer watched.
    this.#watch.stop();
    if (typeof first === 'function') {
      super.destroy(first);
      return undefined;
    }
    if (callback !== undefined) {
      super.destroy(first ?? null, callback);
      return undefined;
    }
    return super.destroy(first ?? null);
  }

  /**
   * The same as `close()`: waits for the requests in flight, then closes every connection;
   * nothing to do once closed or destroyed (by the VM's end, for example).
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.closed && !this.destroyed) {
      await this.close();
    }
  }
}
