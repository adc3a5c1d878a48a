// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { upgradeOwner } from '@kindling/vmm-core';
import { getVirtualSocketPath } from './api-socket.js';
import { checkExecFile, checkJailOwner } from './jail-checks.js';
import { layOutJail, removeJail, type JailLayoutRequest } from './jail-layout.js';
import { resolveJailPaths, type JailPaths } from './jail-paths.js';
import { resolveJailTargets } from './jail-targets.js';
import type { ResolvedJailedExecutorOptions } from './jailed-executor-options.js';
import { resolveInJail } from './virtual-path-resolver.js';
import type { VmmExecutorContext } from './vmm-executor.js';

/** One jail on the host, as the jailer lays it out for a `JailedExecutor`'s arguments. */
export class Jail {
  readonly paths: JailPaths;
  readonly #options: ResolvedJailedExecutorOptions;

  constructor(options: ResolvedJailedExecutorOptions) {
    this.#options = options;
    this.paths = resolveJailPaths(options.jailerArguments, options.cgroupRoot);
  }

  /** The API socket's host path, or `undefined` under `--no-api`. */
  get socketPath(): string | undefined {
    const socketPath = getVirtualSocketPath(this.#options.vmmArguments);
    // Firecracker's working folder in the jail is "/", so a relative path starts there.
    return socketPath === undefined
      ? undefined
      : resolveInJail(this.paths.rootDir, path.posix.resolve('/', socketPath));
  }

  /** The host path of a path as the jailed Firecracker sees it. */
  resolve(virtualPath: string): string {
    return resolveInJail(this.paths.rootDir, virtualPath);
  }

  /** Checks the jail's owner and binary, then lays it out with every resource in place. */
  async prepare(context: VmmExecutorContext, signal: AbortSignal | undefined): Promise<void> {
    const { jailerArguments, resolveVirtualPath } = this.#options;
    checkJailOwner(jailerArguments, context.resourceSystem.ownership);
    await checkExecFile(jailerArguments, context.installation);
    const { socketPath } = this;
    const targets = resolveJailTargets({
      paths: this.paths,
      socketPath,
      resources: context.resourceSystem.resources,
      resolveVirtualPath,
    });
    await layOutJail(this.#layoutRequest(context, signal), socketPath, targets);
  }

  /** Disposes of every resource and removes the jail, then the VM's cgroup folders. */
  async remove(context: VmmExecutorContext, signal: AbortSignal | undefined): Promise<void> {
    await removeJail(this.#layoutRequest(context, signal));
  }

  /** Makes the pid file readable when the jailer wrote it as root (an upgraded ownership model). */
  async reclaimPidFile(context: VmmExecutorContext, signal: AbortSignal): Promise<void> {
    await upgradeOwner(this.paths.pidFile, context.resourceSystem.ownership, context.spawner, {
      signal,
    });
  }

  #layoutRequest(context: VmmExecutorContext, signal: AbortSignal | undefined): JailLayoutRequest {
    return {
      paths: this.paths,
      resourceSystem: context.resourceSystem,
      spawner: context.spawner,
      signal,
    };
  }
}
