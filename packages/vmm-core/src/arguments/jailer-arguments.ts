// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { VmmCoreError } from '../errors.js';
import { vmmIdSchema } from '../id/vmm-id.js';
import { parseWithSchema } from '../validation.js';
import { argumentTextSchema, u32Schema, u64Schema } from './argument-values.js';
import { checkFlagRelations, emitFlags, type FlagValue } from './emit-flags.js';
import { JAILER_FLAGS } from './flags.js';
import type { VmmArguments } from './vmm-arguments.js';

type JailerOption = (typeof JAILER_FLAGS)[number]['option'];

// The jailer refuses `.`, `..` and absolute components in `--parent-cgroup`
// (`CgroupInvalidParentPath`): they would escape the cgroup subtree.
const hasUnsafeComponent = (value: string): boolean =>
  value.startsWith('/') || value.split('/').some((part) => part === '.' || part === '..');

// The jailer takes the controller from the text before the first "." (`CgroupInvalidFile` when
// there is none); a "/" could only reach outside the cgroup directory.
const CGROUP_FILE = /^[^./=\0-][^./=\0]*\.[^/=\0]+$/u;

// The jailer splits `<file>=<value>` on every "=" and wants exactly two parts.
const cgroupValueSchema = z
  .string()
  .min(1, { error: 'must be a non-empty cgroup value' })
  .refine((value) => !value.includes('=') && !value.includes('\0'), {
    error: 'may not contain "=" or NUL (the jailer splits --cgroup on every "=")',
  });

const schema = z
  .strictObject({
    /** `--id`: the jail's and the VMM's id. */
    id: vmmIdSchema,
    /** `--exec-file`: the Firecracker binary the jailer copies into the jail and runs. */
    execFile: argumentTextSchema('path to the firecracker binary'),
    /** `--uid`: the user id Firecracker runs as. */
    uid: u32Schema,
    /** `--gid`: the group id Firecracker runs as. */
    gid: u32Schema,
    /** `--chroot-base-dir`: where jails are made (the jailer's default `/srv/jailer`). */
    chrootBaseDir: argumentTextSchema('path').optional(),
    /** `--netns`: a network namespace to join, e.g. `/var/run/netns/my-ns`. */
    netns: argumentTextSchema('path to a network namespace').optional(),
    /** `--daemonize`: detach Firecracker from the terminal and session. */
    daemonize: z.boolean().optional(),
    /** `--new-pid-ns`: run Firecracker in a new PID namespace. */
    newPidNs: z.boolean().optional(),
    /** `--cgroup <file>=<value>` for each entry, e.g. `{ "cpu.max": "50000 100000" }`. */
    cgroups: z.record(z.string(), cgroupValueSchema).optional(),
    /** `--cgroup-version`: 1 or 2 (the jailer's default 1). */
    cgroupVersion: z.union([z.literal(1), z.literal(2)], { error: 'must be 1 or 2' }).optional(),
    /** `--parent-cgroup`: the cgroup under which the jail's cgroup is made, relative. */
    parentCgroup: argumentTextSchema('cgroup path')
      .refine((value) => !hasUnsafeComponent(value), {
        error: 'must be relative, without "." or ".." components (the jailer\'s rule)',
      })
      .optional(),
    /** `--resource-limit` for each limit set. */
    resourceLimits: z
      .strictObject({
        /** `--resource-limit fsize=N`: the largest file the process may create, in bytes. */
        maxFileSizeBytes: u64Schema.optional(),
        /** `--resource-limit no-file=N`: one more than the highest fd number (jailer default 2048). */
        maxOpenFiles: u64Schema.optional(),
      })
      .optional(),
    /** `--version`: print the version and exit. */
    version: z.boolean().optional(),
    /** `--help`: print the usage and exit. */
    help: z.boolean().optional(),
  } satisfies Record<JailerOption, z.ZodType>)
  .superRefine((value, context) => {
    for (const file of Object.keys(value.cgroups ?? {})) {
      if (!CGROUP_FILE.test(file)) {
        context.addIssue({
          code: 'custom',
          path: ['cgroups', file],
          input: file,
          message:
            'must be keyed by a cgroup file name <controller>.<property> such as "cpu.max" (no "/", "=" or leading "-")',
        });
      }
    }
    checkFlagRelations(
      JAILER_FLAGS,
      (option) => {
        const set = (value as Record<string, unknown>)[option];
        return set !== undefined && set !== false;
      },
      context,
      value,
    );
  });

/**
 * Options of `JailerArguments`: one per jailer flag, named as in `JAILER_FLAGS`.
 *
 * @interface
 */
export type JailerArgumentsOptions = z.input<typeof schema>;

/**
 * `JailerArgumentsOptions` after validation.
 *
 * @interface
 */
export type ResolvedJailerArgumentsOptions = z.output<typeof schema>;

// The jailer execs Firecracker with `--id` and these itself; repeating one after `--` makes
// Firecracker exit with a duplicate-argument error.
const TIMES_SET_BY_JAILER = ['startTimeUs', 'startTimeCpuUs', 'parentCpuTimeUs'] as const;

/**
 * The command line of `jailer`, validated at construction. `toArgs(vmm)` appends `--` and the
 * Firecracker arguments, which the jailer forwards.
 */
export class JailerArguments {
  readonly options: ResolvedJailerArgumentsOptions;

  constructor(options: JailerArgumentsOptions) {
    this.options = parseWithSchema(schema, options, 'jailerArguments');
  }

  /**
   * The argv after the `jailer` binary, in `JAILER_FLAGS` order; `--cgroup` in the order the
   * `cgroups` record lists them, then `fsize` before `no-file`. With `vmm`, `--` and its
   * arguments follow. The VMM arguments may not set `--id` (the jailer passes its own; an equal
   * id is dropped) nor the `--start-time-*`/`--parent-cpu-time-us` flags the jailer sets.
   */
  toArgs(vmm?: VmmArguments): string[] {
    const { options } = this;
    const limits = options.resourceLimits;
    const values: Record<JailerOption, FlagValue> = {
      id: options.id,
      execFile: options.execFile,
      uid: String(options.uid),
      gid: String(options.gid),
      chrootBaseDir: options.chrootBaseDir,
      netns: options.netns,
      daemonize: options.daemonize,
      newPidNs: options.newPidNs,
      cgroups: Object.entries(options.cgroups ?? {}).map(([file, value]) => `${file}=${value}`),
      cgroupVersion:
        options.cgroupVersion === undefined ? undefined : String(options.cgroupVersion),
      parentCgroup: options.parentCgroup,
      resourceLimits: [
        ...(limits?.maxFileSizeBytes === undefined ? [] : [`fsize=${limits.maxFileSizeBytes}`]),
        ...(limits?.maxOpenFiles === undefined ? [] : [`no-file=${limits.maxOpenFiles}`]),
      ],
      version: options.version,
      help: options.help,
    };
    const args = emitFlags(JAILER_FLAGS, values);
    if (vmm === undefined) {
      return args;
    }
    if (vmm.options.id !== undefined && vmm.options.id !== options.id) {
      throw new VmmCoreError(
        'ERR_INVALID_INPUT',
        `vmmArguments.id: the jailer passes --id ${options.id} to Firecracker, got ${JSON.stringify(vmm.options.id)}: drop the VMM id or make it equal`,
      );
    }
    for (const option of TIMES_SET_BY_JAILER) {
      if (vmm.options[option] !== undefined) {
        throw new VmmCoreError(
          'ERR_INVALID_INPUT',
          `vmmArguments.${option}: the jailer sets this flag itself and Firecracker rejects a duplicate, got ${String(vmm.options[option])}: drop it`,
        );
      }
    }
    return [...args, '--', ...vmm.toArgs({ withoutId: true })];
  }
}
