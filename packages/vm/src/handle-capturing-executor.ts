// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type {
  ProcessHandle,
  VmmExecutor,
  VmmExecutorContext,
  VmmExecutorInvokeOptions,
  VmmExecutorStepOptions,
} from '@kindling/executor';

/** An executor that may name the folder its cleanup removes whole (a jailed one). */
interface JailReporting {
  getJailPath?(context: VmmExecutorContext): string | undefined;
}

/**
 * Wraps an executor and hands each process it starts to `onInvoke` as well: the `Vm` keeps the
 * handle for what `VmmProcess` does not expose, the serial console on Firecracker's stdin. Every
 * hook is passed through unchanged.
 */
export class HandleCapturingExecutor implements VmmExecutor, JailReporting {
  readonly #inner: VmmExecutor & JailReporting;
  readonly #onInvoke: (handle: ProcessHandle) => void;

  constructor(inner: VmmExecutor, onInvoke: (handle: ProcessHandle) => void) {
    this.#inner = inner;
    this.#onInvoke = onInvoke;
  }

  getSocketPath(context: VmmExecutorContext): string | undefined {
    return this.#inner.getSocketPath(context);
  }

  resolveEffectivePath(context: VmmExecutorContext, virtualPath: string): string {
    return this.#inner.resolveEffectivePath(context, virtualPath);
  }

  /** The wrapped executor's jail folder, when it reports one. */
  getJailPath(context: VmmExecutorContext): string | undefined {
    return this.#inner.getJailPath?.(context);
  }

  prepare(context: VmmExecutorContext, options?: VmmExecutorStepOptions): Promise<void> {
    return this.#inner.prepare(context, options);
  }

  async invoke(
    context: VmmExecutorContext,
    options?: VmmExecutorInvokeOptions,
  ): Promise<ProcessHandle> {
    const handle = await this.#inner.invoke(context, options);
    this.#onInvoke(handle);
    return handle;
  }

  cleanup(context: VmmExecutorContext, options?: VmmExecutorStepOptions): Promise<void> {
    return this.#inner.cleanup(context, options);
  }
}
