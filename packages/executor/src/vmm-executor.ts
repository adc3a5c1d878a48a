// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessSpawner } from '@kindling/spawner';
import type { ResourceSystem, VmmInstallation } from '@kindling/vmm-core';
import type { ProcessHandle } from './process-handle.js';
import type { ResourceLimits } from './resource-limits.js';
import type { ResourceUsage } from './resource-usage.js';

// The types the interface's hooks take and give, for the executors that implement them.
export type { ProcessHandle, ResourceLimits, ResourceUsage };

/**
 * What every executor hook works over: the binaries, the spawner that runs them, and the
 * resource system that holds the VM's files (drives, kernel, log and metrics files or FIFOs,
 * snapshot files) and their ownership model.
 */
export interface VmmExecutorContext {
  readonly installation: VmmInstallation;
  /**
   * Runs `firecracker` or `jailer`. Under an `upgraded-*` ownership model it is the elevated
   * spawner (sudo, su), and the executor also runs its `chown -R` through it to reclaim files the
   * VMM made as root.
   */
  readonly spawner: ProcessSpawner;
  /**
   * Every resource of the VM, the executor's own argument resources (`--log-path`,
   * `--metrics-path`, …) included, and the ownership model they follow.
   */
  readonly resourceSystem: ResourceSystem;
}

/** The options of `VmmExecutor.prepare` and `VmmExecutor.cleanup`. */
export interface VmmExecutorStepOptions {
  /** Aborting stops the step between two file-system operations, with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** The options of `VmmExecutor.invoke`. */
export interface VmmExecutorInvokeOptions {
  /** A Firecracker `--config-file`, as the VMM sees it (inside the jail for a jailed executor). */
  readonly configPath?: string;
  /** Aborting stops the start-up (the spawned process is killed) with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Runs Firecracker one way: directly, or under the jailer. A `VmmProcess` calls `prepare`, then
 * `invoke`, then `cleanup` once the process has ended; each hook finishes all of its file-system
 * work before it resolves, and throws an `ExecutorError` naming the step that failed.
 */
export interface VmmExecutor {
  /**
   * The host path of the API socket, or `undefined` when the API is disabled (`--no-api`).
   * For a jailed executor it lies inside the jail.
   */
  getSocketPath(context: VmmExecutorContext): string | undefined;
  /** The host path of a path as Firecracker sees it (inside the jail for a jailed executor). */
  resolveEffectivePath(context: VmmExecutorContext, virtualPath: string): string;
  /**
   * The folder `cleanup` removes whole (the jail, `<base>/<exec name>/<id>`), so that a process
   * record can name it for a later `reconcile()`; `undefined` when the executor has none.
   */
  getJailPath?(context: VmmExecutorContext): string | undefined;
  /**
   * The folders above the jail that Kindling made and `cleanup` removes once empty, innermost
   * first, so that a process record can name them too; empty or `undefined` when there are none.
   */
  listMadeJailParents?(context: VmmExecutorContext): readonly string[] | undefined;
  /**
   * The cgroup folders the jailer makes for this VM and `cleanup` removes (rmdir) once the VMM
   * is gone, so that a process record can name them too; empty or `undefined` when there are none.
   */
  listCgroupDirs?(context: VmmExecutorContext): readonly string[] | undefined;
  /**
   * A copy of this executor that applies `limits` to the VMM (through the jailer's cgroups), the
   * copy's own limits merged over this one's. Absent on executors that cannot limit a VMM
   * (`UnrestrictedExecutor`: limits need the jailer). Bad or unenforceable limits throw
   * `ERR_INVALID_INPUT` here, before anything starts.
   */
  withResourceLimits?(limits: ResourceLimits): VmmExecutor;
  /**
   * What the VMM's cgroups say now (memory, CPU time, processes and their limits); `undefined`
   * when the executor made no cgroup for it.
   */
  readResourceUsage?(
    context: VmmExecutorContext,
    options?: VmmExecutorStepOptions,
  ): Promise<ResourceUsage | undefined>;
  /**
   * Gets the host ready: removes a stale API socket (Firecracker refuses to start when it
   * exists), lays out the jail, and initialises every uninitialised resource of the resource
   * system at its effective path. All or nothing: on failure, what it did is undone.
   */
  prepare(context: VmmExecutorContext, options?: VmmExecutorStepOptions): Promise<void>;
  /** Starts Firecracker (or the jailer) and returns the handle of the Firecracker process. */
  invoke(context: VmmExecutorContext, options?: VmmExecutorInvokeOptions): Promise<ProcessHandle>;
  /**
   * Removes what `prepare` and the VMM left behind: the API socket, every resource (created and
   * produced files deleted, moved ones undone, the user's own files kept), and the whole jail.
   * Call it after the process has ended; calling it twice is harmless.
   */
  cleanup(context: VmmExecutorContext, options?: VmmExecutorStepOptions): Promise<void>;
}
