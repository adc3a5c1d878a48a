// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { JailerArguments } from '@kindling/vmm-core';
import { resolveTimeoutMs } from './deadline.js';
import {
  checkInstance,
  invalidOption,
  resolveCommonOptions,
  type CommonExecutorOptions,
  type ResolvedCommonExecutorOptions,
} from './executor-options.js';
import { resolveFlatVirtualPath, type VirtualPathResolver } from './virtual-path-resolver.js';

/** What `JailedExecutor` takes. */
export interface JailedExecutorOptions extends CommonExecutorOptions {
  /**
   * The `jailer` command line. Its `execFile` must be the installation's `firecracker`, and its
   * `uid`/`gid` the owner the ownership model hands files to (the control process's own ids for
   * `shared` and `upgraded-*`), so that the jailed Firecracker can open them.
   */
  readonly jailerArguments: JailerArguments;
  /** Where each moved resource lands inside the jail (default `resolveFlatVirtualPath`). */
  readonly resolveVirtualPath?: VirtualPathResolver;
  /**
   * Under `--daemonize` or `--new-pid-ns`: how long `invoke` waits for the jailer to exit and
   * for Firecracker's pid file to hold a pid (default 10 000).
   */
  readonly pidFileTimeoutMs?: number;
}

/** `JailedExecutorOptions` after checks and defaults. */
export interface ResolvedJailedExecutorOptions extends ResolvedCommonExecutorOptions {
  readonly jailerArguments: JailerArguments;
  readonly resolveVirtualPath: VirtualPathResolver;
  readonly pidFileTimeoutMs: number;
}

/** How long `invoke` waits for a daemonized Firecracker's pid by default. */
export const DEFAULT_PID_FILE_TIMEOUT_MS = 10_000;

/** Checks the options of `JailedExecutor` and fills in the defaults. */
export const resolveJailedExecutorOptions = (
  options: JailedExecutorOptions,
): ResolvedJailedExecutorOptions => {
  const common = resolveCommonOptions('JailedExecutor', options);
  const jailerArguments = checkInstance(
    'JailedExecutor.jailerArguments',
    options.jailerArguments,
    { class: JailerArguments, name: 'JailerArguments' },
    'toArgs',
  );
  const resolveVirtualPath = options.resolveVirtualPath ?? resolveFlatVirtualPath;
  if (typeof resolveVirtualPath !== 'function') {
    throw invalidOption(
      'JailedExecutor.resolveVirtualPath',
      'expected a function of an initial path',
      resolveVirtualPath,
    );
  }
  const pidFileTimeoutMs = resolveTimeoutMs(
    'JailedExecutor.pidFileTimeoutMs',
    options.pidFileTimeoutMs,
    DEFAULT_PID_FILE_TIMEOUT_MS,
  );
  return { ...common, jailerArguments, resolveVirtualPath, pidFileTimeoutMs };
};
