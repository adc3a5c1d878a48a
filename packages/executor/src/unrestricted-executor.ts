// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import {
  defaultApiSocketPath,
  ensureDefaultApiSocketFolder,
  getVirtualSocketPath,
  removeSocket,
  removeStaleSocket,
} from './api-socket.js';
import { wrapChildProcess } from './child-process-handle.js';
import {
  resolveCommonOptions,
  type CommonExecutorOptions,
  type ResolvedCommonExecutorOptions,
} from './executor-options.js';
import {
  checkInvokeOptions,
  checkStepOptions,
  createContextCheck,
  type ContextCheck,
} from './executor-context.js';
import type { ProcessHandle } from './process-handle.js';
import { spawnCommand } from './spawn-command.js';
import { combineStepFailures, wrapStepFailure } from './step-failure.js';
import type {
  VmmExecutor,
  VmmExecutorContext,
  VmmExecutorInvokeOptions,
  VmmExecutorStepOptions,
} from './vmm-executor.js';

/** What `UnrestrictedExecutor` takes. */
export type UnrestrictedExecutorOptions = CommonExecutorOptions;

/**
 * Runs `firecracker` directly, as the spawner's user, with every path as given: the host and the
 * VMM see the same files. Without `apiSocket` (and without `noApi`) the socket goes to
 * `<tmpdir>/kindling-<uid>/run/<id>.sock`, unique per VM, instead of Firecracker's shared
 * `/run/firecracker.socket`. `prepare` removes a stale API socket and initialises every resource
 * in place; `cleanup` removes the socket and disposes of every resource (created and produced
 * files are deleted; moved ones, used in place, are left alone).
 */
export class UnrestrictedExecutor implements VmmExecutor {
  readonly options: ResolvedCommonExecutorOptions;
  readonly #socketDefaulted: boolean;
  readonly #checkContext: ContextCheck;

  constructor(options: UnrestrictedExecutorOptions) {
    const resolved = resolveCommonOptions('UnrestrictedExecutor', options);
    const { vmmArguments } = resolved;
    this.#socketDefaulted =
      vmmArguments.options.apiSocket === undefined && vmmArguments.options.noApi !== true;
    this.options = this.#socketDefaulted
      ? {
          ...resolved,
          vmmArguments: vmmArguments.with({ apiSocket: defaultApiSocketPath(vmmArguments) }),
        }
      : resolved;
    this.#checkContext = createContextCheck(this.options.vmmArguments);
  }

  getSocketPath(_context?: VmmExecutorContext): string | undefined {
    const socketPath = getVirtualSocketPath(this.options.vmmArguments);
    return socketPath === undefined ? undefined : path.resolve(socketPath);
  }

  resolveEffectivePath(_context: VmmExecutorContext | undefined, virtualPath: string): string {
    return path.resolve(virtualPath);
  }

  async prepare(context: VmmExecutorContext, options?: VmmExecutorStepOptions): Promise<void> {
    const { resourceSystem } = this.#checkContext('prepare', context);
    const { signal } = checkStepOptions('prepare', options);
    signal?.throwIfAborted();
    if (this.#socketDefaulted) {
      await ensureDefaultApiSocketFolder();
    }
    const socketPath = this.getSocketPath(context);
    if (socketPath !== undefined) {
      await removeStaleSocket(socketPath, signal);
    }
    try {
      await resourceSystem.initializeAll(() => ({}), { signal });
    } catch (error) {
      throw wrapStepFailure('ERR_PREPARE_FAILED', 'initialise the resources', error, signal);
    }
  }

  async invoke(
    context: VmmExecutorContext,
    given?: VmmExecutorInvokeOptions,
  ): Promise<ProcessHandle> {
    const { installation, spawner } = this.#checkContext('invoke', context);
    const options = checkInvokeOptions(given);
    const vmmArguments =
      options.configPath === undefined
        ? this.options.vmmArguments
        : this.options.vmmArguments.with({ configFile: options.configPath });
    const child = await spawnCommand({
      spawner,
      command: { binary: installation.firecrackerPath, args: vmmArguments.toArgs() },
      commandModifiers: this.options.commandModifiers,
      stdio: this.options.stdio,
      signal: options.signal,
    });
    return wrapChildProcess(child);
  }

  async cleanup(context: VmmExecutorContext, options?: VmmExecutorStepOptions): Promise<void> {
    const { resourceSystem } = this.#checkContext('cleanup', context);
    const { signal } = checkStepOptions('cleanup', options);
    signal?.throwIfAborted();
    const socketPath = this.getSocketPath(context);
    // The socket and the resources are apart: they go at once, and every one of them goes even
    // when another could not (errors add up, the socket's first).
    const outcomes = await Promise.allSettled([
      socketPath === undefined ? undefined : removeSocket(socketPath, 'ERR_CLEANUP_FAILED'),
      resourceSystem.disposeAll({ signal }).catch((error: unknown) => {
        throw wrapStepFailure('ERR_CLEANUP_FAILED', 'dispose of the resources', error, signal);
      }),
    ]);
    const failures = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
    );
    signal?.throwIfAborted();
    if (failures.length > 0) {
      throw combineStepFailures('ERR_CLEANUP_FAILED', 'cleanup', failures);
    }
  }
}
