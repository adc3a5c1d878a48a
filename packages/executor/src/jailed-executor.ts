// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { wrapChildProcess } from './child-process-handle.js';
import { takeOverDetached } from './detached-takeover.js';
import {
  checkInvokeOptions,
  checkStepOptions,
  createContextCheck,
  type ContextCheck,
} from './executor-context.js';
import { Jail } from './jail.js';
import { listMadeJailParents } from './jail-layout.js';
import {
  resolveJailedExecutorOptions,
  type JailedExecutorOptions,
  type ResolvedJailedExecutorOptions,
} from './jailed-executor-options.js';
import { readCgroupUsage } from './resource-usage.js';
import { spawnCommand } from './spawn-command.js';
import { wrapStepFailure } from './step-failure.js';
import type {
  ProcessHandle,
  ResourceLimits,
  ResourceUsage,
  VmmExecutor,
  VmmExecutorContext,
  VmmExecutorInvokeOptions,
  VmmExecutorStepOptions,
} from './vmm-executor.js';

/**
 * Runs Firecracker under the jailer, in `<base>/<exec name>/<id>/root`. `prepare` clears an old
 * jail and puts every resource in it: moved ones at the path `resolveVirtualPath` gives (hard
 * link or copy, as each resource's method says, handed to the jail's uid/gid), created and
 * produced ones at their initial path taken inside the jail. With `--daemonize` or `--new-pid-ns`
 * the handle is a detached one, found through the jailer's pid file. `cleanup` disposes of every
 * resource, then removes `<base>/<exec name>/<id>` as a whole, and the cgroup folders the jailer
 * made for the VM (never their parent). With `limits`, `options.jailerArguments` is the command
 * line with the limits' `--cgroup` entries added.
 */
export class JailedExecutor implements VmmExecutor {
  readonly options: ResolvedJailedExecutorOptions;
  readonly #given: JailedExecutorOptions;
  readonly #checkContext: ContextCheck;
  #jail: Jail | undefined;

  constructor(options: JailedExecutorOptions) {
    this.options = resolveJailedExecutorOptions(options);
    this.#given = options;
    this.#checkContext = createContextCheck(this.options.vmmArguments);
  }

  /** A copy of this executor with `limits` merged over its own (`ERR_INVALID_INPUT` when unusable). */
  withResourceLimits(limits: ResourceLimits): JailedExecutor {
    return new JailedExecutor({ ...this.#given, limits: { ...this.#given.limits, ...limits } });
  }

  /** What the VM's cgroups say now; `undefined` when the jailer makes none (no `--cgroup`). */
  async readResourceUsage(
    _context?: VmmExecutorContext,
    given?: VmmExecutorStepOptions,
  ): Promise<ResourceUsage | undefined> {
    const options = checkStepOptions('readResourceUsage', given);
    options.signal?.throwIfAborted();
    const dirs = this.listCgroupDirs();
    if (dirs.length === 0) {
      return undefined;
    }
    const usage = await readCgroupUsage(
      dirs,
      this.options.jailerArguments.options.cgroupVersion ?? 1,
    );
    return usage;
  }

  /** The jail's folder, `<base>/<exec name>/<id>`, which `cleanup` removes as a whole. */
  get jailPath(): string {
    return this.#getJail().paths.jailDir;
  }

  getJailPath(_context?: VmmExecutorContext): string {
    return this.jailPath;
  }

  listMadeJailParents(_context?: VmmExecutorContext): readonly string[] {
    return listMadeJailParents(this.#getJail().paths);
  }

  listCgroupDirs(_context?: VmmExecutorContext): readonly string[] {
    return this.#getJail().paths.cgroupDirs;
  }

  /** The chroot, `<jail>/root`: Firecracker's `/`. */
  get rootPath(): string {
    return this.#getJail().paths.rootDir;
  }

  getSocketPath(_context?: VmmExecutorContext): string | undefined {
    return this.#getJail().socketPath;
  }

  resolveEffectivePath(_context: VmmExecutorContext | undefined, virtualPath: string): string {
    return this.#getJail().resolve(virtualPath);
  }

  async prepare(context: VmmExecutorContext, given?: VmmExecutorStepOptions): Promise<void> {
    this.#checkContext('prepare', context);
    const options = checkStepOptions('prepare', given);
    options.signal?.throwIfAborted();
    await this.#getJail().prepare(context, options.signal);
  }

  async invoke(
    context: VmmExecutorContext,
    given?: VmmExecutorInvokeOptions,
  ): Promise<ProcessHandle> {
    const { vmmArguments, jailerArguments } = this.options;
    const { installation, spawner } = this.#checkContext('invoke', context);
    const options = checkInvokeOptions(given);
    let args: string[];
    try {
      args = jailerArguments.toArgs(
        options.configPath === undefined
          ? vmmArguments
          : vmmArguments.with({ configFile: options.configPath }),
      );
    } catch (error) {
      throw wrapStepFailure('ERR_INVALID_INPUT', 'build the jailer command line', error);
    }
    const jailer = await spawnCommand({
      spawner,
      command: { binary: installation.jailerPath, args },
      commandModifiers: this.options.commandModifiers,
      stdio: this.options.stdio,
      signal: options.signal,
    });
    const { daemonize, newPidNs } = jailerArguments.options;
    if (daemonize !== true && newPidNs !== true) {
      // The jailer execs Firecracker in its own process: this child is Firecracker.
      return wrapChildProcess(jailer);
    }
    const jail = this.#getJail();
    return takeOverDetached({
      jailer,
      pidFile: jail.paths.pidFile,
      timeoutMs: this.options.pidFileTimeoutMs,
      signal: options.signal,
      reclaimPidFile: (signal) => jail.reclaimPidFile(context, signal),
    });
  }

  async cleanup(context: VmmExecutorContext, given?: VmmExecutorStepOptions): Promise<void> {
    this.#checkContext('cleanup', context);
    const options = checkStepOptions('cleanup', given);
    options.signal?.throwIfAborted();
    await this.#getJail().remove(context, options.signal);
  }

  // The exec file is canonicalised on first use, as the jailer does when it starts.
  #getJail(): Jail {
    this.#jail ??= new Jail(this.options);
    return this.#jail;
  }
}
