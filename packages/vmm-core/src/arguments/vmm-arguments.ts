// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { generateVmmId, vmmIdSchema, type VmmId } from '../id/vmm-id.js';
import { parseWithSchema } from '../validation.js';
import type { Resource } from '../resources/resource.js';
import { argumentResourceSchema, resolveArgumentPath } from './argument-resource.js';
import { argumentTextSchema, logLevelSchema, u64Schema } from './argument-values.js';
import { checkFlagRelations, emitFlags, type FlagValue } from './emit-flags.js';
import { FIRECRACKER_FLAGS, type FlagSpec } from './flags.js';

type FirecrackerOption = (typeof FIRECRACKER_FLAGS)[number]['option'];

const pathSchema = (what: string) => argumentTextSchema(what);

// Log, metrics, MMDS metadata and the seccomp filter are files the VMM opens: they may be given as
// resources, so an executor can create or move them (into a jail) before spawning.
const fileSchema = (what: string) =>
  z.union([pathSchema(what), argumentResourceSchema], {
    error: `must be a ${what} or a Resource`,
  });

const flagsShape = {
  /** `--api-sock`: the API socket's path (Firecracker's default `/run/firecracker.socket`). */
  apiSocket: pathSchema('socket path').optional(),
  /** `--id`: the VMM's id (Firecracker's default `anonymous-instance`). */
  id: vmmIdSchema.optional(),
  /** `--config-file`: a JSON configuration to boot from at once. */
  configFile: pathSchema('path to a JSON config file').optional(),
  /** `--no-api`: start no API server (needs `configFile`). */
  noApi: z.boolean().optional(),
  /** `--metadata`: a JSON file loaded into the MMDS store at start. */
  metadata: fileSchema('path to a JSON file').optional(),
  /** `--log-path`: the log file or FIFO. */
  logPath: fileSchema('path to a file or FIFO').optional(),
  /** `--level`: the log level (Firecracker's default `Info`). */
  level: logLevelSchema.optional(),
  /** `--module`: log only messages from this module. */
  module: argumentTextSchema('module filter').optional(),
  /** `--show-level`: write the level in each log line. */
  showLevel: z.boolean().optional(),
  /** `--show-log-origin`: write the source file and line in each log line. */
  showLogOrigin: z.boolean().optional(),
  /** `--metrics-path`: the metrics file or FIFO. */
  metricsPath: fileSchema('path to a file or FIFO').optional(),
  /** `--boot-timer`: log the boot time when the guest writes to the boot-timer device. */
  bootTimer: z.boolean().optional(),
  /** `--seccomp-filter`: a compiled BPF filter instead of the built-in one. */
  seccompFilter: fileSchema('path to a compiled BPF filter').optional(),
  /** `--no-seccomp`: run without seccomp filters (never in production). */
  noSeccomp: z.boolean().optional(),
  /** `--start-time-us` (deprecated): the process start time, in µs. */
  startTimeUs: u64Schema.optional(),
  /** `--start-time-cpu-us` (deprecated): the process start CPU time, in µs. */
  startTimeCpuUs: u64Schema.optional(),
  /** `--parent-cpu-time-us`: the parent's CPU time, in µs, added to the boot-time metrics. */
  parentCpuTimeUs: u64Schema.optional(),
  /** `--http-api-max-payload-size`: the largest API request body, in bytes (default 51200). */
  httpApiMaxPayloadSize: u64Schema.optional(),
  /** `--mmds-size-limit`: the largest MMDS store, in bytes (default: the payload limit). */
  mmdsSizeLimit: u64Schema.optional(),
  /** `--enable-pci`: devices on a PCI bus (needed for hotplug). */
  enablePci: z.boolean().optional(),
  /** `--version`: print the version and exit. */
  version: z.boolean().optional(),
  /** `--snapshot-version`: print the snapshot data format version and exit. */
  snapshotVersion: z.boolean().optional(),
  /** `--describe-snapshot`: print the data format version of this state file and exit. */
  describeSnapshot: pathSchema('path to a snapshot state file').optional(),
  /** `--help`: print the usage and exit. */
  help: z.boolean().optional(),
} satisfies Record<FirecrackerOption, z.ZodType>;

const isSetIn =
  (value: Readonly<Record<string, unknown>>) =>
  (option: string): boolean =>
    value[option] !== undefined && value[option] !== false;

const schema = z.strictObject(flagsShape).superRefine((value, context) => {
  const isSet = isSetIn(value);
  checkFlagRelations(FIRECRACKER_FLAGS, isSet, context, value);
  // Firecracker ignores --api-sock under --no-api; a caller who sets both expects a socket.
  if (isSet('noApi') && isSet('apiSocket')) {
    context.addIssue({
      code: 'custom',
      path: ['apiSocket'],
      input: value.apiSocket,
      message: 'has no effect with noApi (Firecracker starts no API server): drop one of them',
    });
  }
});

/**
 * Options of `VmmArguments`: one per `firecracker` flag, named as in `FIRECRACKER_FLAGS`.
 *
 * @interface
 */
export type VmmArgumentsOptions = z.input<typeof schema>;

/**
 * `VmmArgumentsOptions` after validation.
 *
 * @interface
 */
export type ResolvedVmmArgumentsOptions = z.output<typeof schema>;

/** Changes for `VmmArguments.with`: `undefined` removes an option. */
export type VmmArgumentsChanges = {
  readonly [Option in keyof VmmArgumentsOptions]?: VmmArgumentsOptions[Option] | undefined;
};

/** What `VmmArguments.toArgs` takes. */
export interface VmmArgumentsToArgsOptions {
  /** Leave `--id` out (the jailer passes its own to Firecracker). */
  readonly withoutId?: boolean;
}

const text = (value: string | number | bigint | undefined): string | undefined =>
  value === undefined ? undefined : String(value);

const file = (value: string | Resource | undefined, option: string): string | undefined =>
  value === undefined ? undefined : resolveArgumentPath(value, `vmmArguments.${option}`);

const FILE_OPTIONS = ['metadata', 'logPath', 'metricsPath', 'seccompFilter'] as const;

/**
 * The command line of `firecracker`, validated at construction: every flag of v1.16.1, each at
 * most once, emitted as separate argv entries in `FIRECRACKER_FLAGS` order.
 */
export class VmmArguments {
  readonly options: ResolvedVmmArgumentsOptions;
  #generatedId: VmmId;

  constructor(options: VmmArgumentsOptions = {}) {
    this.options = parseWithSchema(schema, options, 'vmmArguments');
    this.#generatedId = generateVmmId();
  }

  /**
   * The VM's instance id: `options.id`, or one generated for these arguments (`generateVmmId`),
   * so that VMs given no id never collide. Under the jailer, the jailer's `--id` is the VM's.
   */
  get id(): VmmId {
    return this.options.id ?? this.#generatedId;
  }

  /**
   * A copy with some options changed; `undefined` removes one. Validated like the constructor.
   * The copy keeps the generated id: it describes the same VM.
   */
  with(changes: VmmArgumentsChanges): VmmArguments {
    const merged: Record<string, unknown> = { ...this.options };
    // null is no changes, as {} is.
    for (const [option, value] of Object.entries(changes ?? {})) {
      if (value === undefined) {
        delete merged[option];
      } else {
        merged[option] = value;
      }
    }
    const copy = new VmmArguments(merged);
    copy.#generatedId = this.#generatedId;
    return copy;
  }

  /** The resources among the file options, for an executor to prepare before spawning. */
  get resources(): readonly Resource[] {
    return FILE_OPTIONS.flatMap((option) => {
      const value = this.options[option];
      return value === undefined || typeof value === 'string' ? [] : [value];
    });
  }

  /**
   * The argv after the `firecracker` binary, with `--id` always given (see `id`; a generated one
   * is left out when the command only prints something, `--version` …), unless `withoutId` (the
   * jailer passes its own).
   * A resource stands for the path the VMM sees, so it must have been prepared (see `resources`).
   */
  toArgs(options: VmmArgumentsToArgsOptions = {}): string[] {
    if (options.withoutId === true) {
      return this.#toArgs();
    }
    return this.#toArgs(this.#isInformational() ? this.options.id : this.id);
  }

  #isInformational(): boolean {
    return (FIRECRACKER_FLAGS as readonly FlagSpec[]).some(
      (spec) => spec.informational === true && isSetIn(this.options)(spec.option),
    );
  }

  #toArgs(id?: string): string[] {
    const { options } = this;
    const values: Record<FirecrackerOption, FlagValue> = {
      apiSocket: options.apiSocket,
      id,
      configFile: options.configFile,
      noApi: options.noApi,
      metadata: file(options.metadata, 'metadata'),
      logPath: file(options.logPath, 'logPath'),
      level: options.level,
      module: options.module,
      showLevel: options.showLevel,
      showLogOrigin: options.showLogOrigin,
      metricsPath: file(options.metricsPath, 'metricsPath'),
      bootTimer: options.bootTimer,
      seccompFilter: file(options.seccompFilter, 'seccompFilter'),
      noSeccomp: options.noSeccomp,
      startTimeUs: text(options.startTimeUs),
      startTimeCpuUs: text(options.startTimeCpuUs),
      parentCpuTimeUs: text(options.parentCpuTimeUs),
      httpApiMaxPayloadSize: text(options.httpApiMaxPayloadSize),
      mmdsSizeLimit: text(options.mmdsSizeLimit),
      enablePci: options.enablePci,
      version: options.version,
      snapshotVersion: options.snapshotVersion,
      describeSnapshot: options.describeSnapshot,
      help: options.help,
    };
    return emitFlags(FIRECRACKER_FLAGS, values);
  }
}
