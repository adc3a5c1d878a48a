// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessHandleExit } from '@kindling/executor';
import { ApiError, type ApiMethod } from '@kindling/process';
import type { Vm, VmState } from '@kindling/vm';
import type { PassthroughAnswer, VmHandle } from './vm-handle.js';

// The VM's end: its `exit` or `crash` event (a held VM may run for days, so no bounded wait).
const waitForEnd = (vm: Vm): Promise<void> =>
  new Promise((resolve) => {
    if (vm.exit !== undefined) {
      resolve();
      return;
    }
    const onEnd = (): void => {
      vm.removeEventListener('exit', onEnd);
      vm.removeEventListener('crash', onEnd);
      resolve();
    };
    vm.addEventListener('exit', onEnd);
    vm.addEventListener('crash', onEnd);
  });

/** Firecracker's refusal as the answer it was; anything else is an error of ours. */
export const answerOfApiError = (error: unknown): PassthroughAnswer => {
  // `vm.request()` wraps the `ApiError` of a refusal in its own error, as its cause.
  let cause: unknown = error;
  while (cause instanceof Error) {
    if (cause instanceof ApiError) {
      return { status: cause.status, body: { fault_message: cause.firecrackerMessage } };
    }
    cause = cause.cause;
  }
  throw error;
};

/** A VM this server made, through `@kindling/vm`. */
export class OwnedVm implements VmHandle {
  readonly adopted = false;
  readonly ended: Promise<void>;
  readonly #vm: Vm;

  constructor(vm: Vm) {
    this.#vm = vm;
    this.ended = waitForEnd(vm);
  }

  get state(): VmState {
    return this.#vm.state;
  }

  get guest(): Vm {
    return this.#vm;
  }

  get pid(): number | undefined {
    return this.#vm.pid;
  }

  get apiSocket(): string | undefined {
    return this.#vm.socketPath;
  }

  get exit(): ProcessHandleExit | undefined {
    return this.#vm.exit;
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.#vm.start({ signal });
  }

  async pause(signal: AbortSignal): Promise<void> {
    await this.#vm.pause({ signal });
  }

  async resume(signal: AbortSignal): Promise<void> {
    await this.#vm.resume({ signal });
  }

  async snapshot(
    type: 'Full' | 'Diff',
    snapshotPath: string,
    memoryPath: string,
    signal: AbortSignal,
  ): Promise<void> {
    // Firecracker writes into files the VM owns (removed with it); the copy is the caller's.
    const own = await this.#vm.createSnapshot({ type, signal });
    await own.copy({ snapshotPath, memPath: memoryPath, signal });
  }

  async stop(
    options: { readonly timeoutMs: number; readonly force: boolean },
    signal: AbortSignal,
  ): Promise<void> {
    signal.throwIfAborted();
    await this.#vm.shutdown(
      options.force
        ? [{ method: 'kill' }]
        : [{ method: 'ctrl-alt-del', timeoutMs: options.timeoutMs }, { method: 'kill' }],
    );
  }

  async request(
    method: ApiMethod,
    apiPath: string,
    body: unknown,
    signal: AbortSignal,
  ): Promise<PassthroughAnswer> {
    try {
      const answer = await this.#vm.request(method, apiPath, body, { signal });
      return { status: answer.status, body: answer.body };
    } catch (error) {
      return answerOfApiError(error);
    }
  }

  async dispose(): Promise<void> {
    await this.#vm[Symbol.asyncDispose]();
  }
}
