// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type {
  ProcessHandle,
  ResourceUsage,
  VmmExecutor,
  VmmExecutorContext,
  VmmExecutorInvokeOptions,
  VmmExecutorStepOptions,
} from '@kindling/executor';

/**
 * Wraps an executor and tells `onInvoke` the kind of each process it starts, which `VmmProcess`
 * does not expose: the stdin of a detached process is the jailer's, not Firecracker's serial
 * console. Every hook is passed through unchanged.
 */
export class HandleKindReportingExecutor implements VmmExecutor {
  readonly #inner: VmmExecutor;
  readonly #onInvoke: (kind: ProcessHandle['kind']) => void;

  constructor(inner: VmmExecutor, onInvoke: (kind: ProcessHandle['kind']) => void) {
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

  /** The folders above the wrapped executor's jail that Kindling made, when it reports them. */
  listMadeJailParents(context: VmmExecutorContext): readonly string[] | undefined {
    return this.#inner.listMadeJailParents?.(context);
  }

  /** The cgroup folders of the wrapped executor, when it reports them. */
  listCgroupDirs(context: VmmExecutorContext): readonly string[] | undefined {
    return this.#inner.listCgroupDirs?.(context);
  }

  /** The wrapped executor's reading of the VM's cgroups; `undefined` when it has none. */
  async readResourceUsage(
    context: VmmExecutorContext,
    options?: VmmExecutorStepOptions,
  ): Promise<ResourceUsage | undefined> {
    const usage = await this.#inner.readResourceUsage?.(context, options);
    return usage;
  }

  prepare(context: VmmExecutorContext, options?: VmmExecutorStepOptions): Promise<void> {
    return this.#inner.prepare(context, options);
  }

  async invoke(
    context: VmmExecutorContext,
    options?: VmmExecutorInvokeOptions,
  ): Promise<ProcessHandle> {
    const handle = await this.#inner.invoke(context, options);
    this.#onInvoke(handle.kind);
    return handle;
  }

  cleanup(context: VmmExecutorContext, options?: VmmExecutorStepOptions): Promise<void> {
    return this.#inner.cleanup(context, options);
  }
}
