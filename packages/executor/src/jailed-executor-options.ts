// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { JailerArguments } from '@kindling/vmm-core';
import { z } from 'zod';
import { commonExecutorOptionsShape } from './executor-options.js';
import { applyResourceLimits } from './jail-limits.js';
import { instanceSchema, optionsObject, parseOptions, timeoutMsSchema } from './parse-options.js';
import { resourceLimitsOptionSchema } from './resource-limits.js';
import { resolveFlatVirtualPath, type VirtualPathResolver } from './virtual-path-resolver.js';

/** How long `invoke` waits for a daemonized Firecracker's pid by default. */
export const DEFAULT_PID_FILE_TIMEOUT_MS = 10_000;

const jailedExecutorOptionsSchema = optionsObject({
  ...commonExecutorOptionsShape,
  /**
   * The `jailer` command line. Its `execFile` must be the installation's `firecracker`, and its
   * `uid`/`gid` the owner the ownership model hands files to (the control process's own ids for
   * `shared` and `upgraded-*`), so that the jailed Firecracker can open them.
   */
  jailerArguments: instanceSchema(JailerArguments, 'JailerArguments', {
    options: 'object',
    toArgs: 'function',
  }),
  /** Where each moved resource lands inside the jail (default `resolveFlatVirtualPath`). */
  resolveVirtualPath: z
    .custom<VirtualPathResolver>((value) => typeof value === 'function', {
      error: 'expected a function of an initial path',
    })
    // A function given to default() is taken for a factory of the default: wrap the resolver.
    .default(() => resolveFlatVirtualPath),
  /**
   * Where the cgroup hierarchies the jailer writes to are mounted, to find and remove the cgroup
   * folders it makes for `cgroups`: the v2 hierarchy itself, or for v1 the folder holding one
   * hierarchy per controller (`<cgroupRoot>/<controller>`). Default: read from
   * `/proc/self/mounts`, as the jailer reads `/proc/mounts`. Set it when the jailer sees other
   * mounts than this process, e.g. `@kindling/fake-vmm`'s jailer with `KINDLING_FAKE_CGROUP_ROOT`.
   */
  cgroupRoot: z
    .string()
    .refine((value) => path.isAbsolute(value), { error: 'must be an absolute path' })
    .optional(),
  /**
   * Memory and CPU limits for the VMM, added to the jailer's `--cgroup` arguments (with
   * `--cgroup-version` from `detectCgroupVersion` when `jailerArguments` do not set it). A limit
   * that sets a file `jailerArguments.cgroups` sets too is refused, as is one whose controller
   * has no hierarchy on the host.
   */
  limits: resourceLimitsOptionSchema.optional(),
  /**
   * Under `--daemonize` or `--new-pid-ns`: how long `invoke` waits for the jailer to exit and
   * for Firecracker's pid file to hold a pid (default 10 000).
   */
  pidFileTimeoutMs: timeoutMsSchema.default(DEFAULT_PID_FILE_TIMEOUT_MS),
});

/**
 * What `JailedExecutor` takes.
 *
 * @interface
 */
export type JailedExecutorOptions = z.input<typeof jailedExecutorOptionsSchema>;

/**
 * `JailedExecutorOptions` after checks and defaults.
 *
 * @interface
 */
export type ResolvedJailedExecutorOptions = Readonly<z.output<typeof jailedExecutorOptionsSchema>>;

/**
 * Checks the options of `JailedExecutor` and fills in the defaults; `limits` are added to the
 * jailer's `--cgroup` arguments.
 */
export const resolveJailedExecutorOptions = (
  options: JailedExecutorOptions,
): ResolvedJailedExecutorOptions => {
  const resolved = parseOptions(jailedExecutorOptionsSchema, options, 'JailedExecutor');
  // The limits become --cgroup arguments here, so the jail's paths and command line include them.
  return resolved.limits === undefined
    ? resolved
    : {
        ...resolved,
        jailerArguments: applyResourceLimits(
          resolved.jailerArguments,
          resolved.limits,
          resolved.cgroupRoot,
        ),
      };
};
