// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { constants } from 'node:os';
import { Readable } from 'node:stream';
import { MAX_TIMER_MS } from '@kindling/helpers';
import { z } from 'zod';
import { parseInput } from './errors.js';

const SIGNAL_NAMES = Object.keys(constants.signals);
const signalRule = 'expected a signal name such as SIGTERM or SIGKILL';

/** A signal name the guest's kernel knows (`SIGTERM`, `SIGKILL`, …). */
export const signalNameSchema = z
  .string({ error: signalRule })
  .refine((name) => SIGNAL_NAMES.includes(name), { error: signalRule })
  .transform((name) => name as NodeJS.Signals);

const millisecondsRule = `expected a positive integer of milliseconds up to ${MAX_TIMER_MS}, or Infinity`;
/** A bound in milliseconds, or `Infinity` for none. */
export const millisecondsSchema = z
  .number({ error: millisecondsRule })
  .refine(
    (value) =>
      value === Infinity || (Number.isInteger(value) && value >= 1 && value <= MAX_TIMER_MS),
    { error: millisecondsRule },
  );

const sizeRule = (what: string) => `expected a positive integer (${what})`;
const windowSize = (what: string) =>
  z
    .number({ error: sizeRule(what) })
    .int({ error: sizeRule(what) })
    .min(1, { error: sizeRule(what) })
    .max(0xff_ff, { error: `expected at most 65535 ${what}` });

/** A terminal's window size. */
export const ptySizeSchema = z.strictObject(
  { cols: windowSize('columns'), rows: windowSize('rows') },
  { error: 'expected { cols, rows }' },
);

/** A PTY's size when `pty: true` asks for one without a size (a classic terminal's). */
export const DEFAULT_PTY_SIZE = { cols: 80, rows: 24 } as const;

const idRule = 'expected an integer from 0 to 4294967294';
const idSchema = z
  .number({ error: idRule })
  .int({ error: idRule })
  .min(0, { error: idRule })
  .max(0xff_ff_ff_fe, { error: idRule });

const guestPathRule = 'expected a non-empty path without NUL bytes';
/** A path in the guest: resolved under the agent's root, relative ones from its root. */
export const guestPathSchema = z
  .string({ error: guestPathRule })
  .min(1, { error: guestPathRule })
  .refine((value) => !value.includes('\0'), { error: guestPathRule });

const argRule = 'expected a string without NUL bytes';
const argvRule = 'expected a non-empty array of strings: the program, then its arguments';
/** A command: the program, then its arguments (no shell unless `shell: true`). */
export const argvSchema = z
  .array(
    z.string({ error: argRule }).refine((value) => !value.includes('\0'), { error: argRule }),
    { error: argvRule },
  )
  .min(1, { error: argvRule });

const envRule = 'expected an object of environment variables, names to strings';
const envSchema = z.record(
  z.string().regex(/^[^=\0]+$/u, { error: 'expected a variable name without = or NUL' }),
  z.string({ error: argRule }).refine((value) => !value.includes('\0'), { error: argRule }),
  { error: envRule },
);

const commonShape = {
  /** The working folder in the guest (default: the agent's root). */
  cwd: guestPathSchema.optional(),
  /** Variables added to the agent's environment for the command. */
  env: envSchema.optional(),
  /** The user id the command runs as (the agent must run as root to change it). */
  uid: idSchema.optional(),
  /** The group id the command runs as. */
  gid: idSchema.optional(),
  /** Run `argv[0]` as a script of `/bin/sh -c` (argv must then hold that one string). */
  shell: z.boolean({ error: 'expected true or false' }).default(false),
  /** A terminal for the command: `true` (80×24) or its size; stdout and stderr merge into stdout. */
  pty: z
    .union([z.boolean(), ptySizeSchema], { error: 'expected true, false or { cols, rows }' })
    .default(false),
  /** How long the command may run before it is killed with `killSignal` (default: no bound). */
  timeoutMs: millisecondsSchema.optional(),
  /** The signal a timeout or an abort sends to the command (default SIGKILL). */
  killSignal: signalNameSchema.default('SIGKILL'),
  /** Aborting kills the command with `killSignal` and rejects with the signal's reason. */
  signal: z.instanceof(AbortSignal, { error: 'expected an AbortSignal' }).optional(),
};

const spawnOptionsSchema = z.strictObject(commonShape, {
  error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'expected an options object'),
});

const encodingRule = "expected 'buffer' or a text encoding such as 'utf8'";
const encodingSchema = z.custom<BufferEncoding | 'buffer'>(
  (value) => typeof value === 'string' && (value === 'buffer' || Buffer.isEncoding(value)),
  { error: encodingRule },
);

const stdinRule = 'expected a string, a Uint8Array or a Readable stream';
const execOptionsSchema = z.strictObject(
  {
    ...commonShape,
    /** A bound on a command that is waited for: 10 minutes unless said otherwise. */
    timeoutMs: millisecondsSchema.default(600_000),
    /** What the command reads on stdin (default: nothing; stdin is closed at once). */
    stdin: z
      .union([z.string(), z.instanceof(Uint8Array), z.instanceof(Readable)], { error: stdinRule })
      .optional(),
    /** `'utf8'` (default) or another encoding: stdout and stderr as strings; `'buffer'`: Buffers. */
    encoding: encodingSchema.default('utf8'),
    /** The most bytes kept of stdout and of stderr each (default 64 MiB); more kills the command. */
    maxBuffer: z
      .number({ error: 'expected a positive integer of bytes' })
      .int({ error: 'expected a positive integer of bytes' })
      .min(1, { error: 'expected a positive integer of bytes' })
      .max(2 ** 31, { error: 'expected at most 2147483648 bytes' })
      .default(64 * 1024 * 1024),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? undefined : 'expected an options object',
  },
);

/**
 * What `spawnInGuest(vm, argv, options)` and `session.spawn(argv, options)` take.
 *
 * @interface
 */
export type SpawnInGuestOptions = z.input<typeof spawnOptionsSchema>;
/**
 * `SpawnInGuestOptions` after checks and defaults.
 *
 * @interface
 */
export type ResolvedSpawnInGuestOptions = Readonly<z.output<typeof spawnOptionsSchema>>;

/**
 * What `exec(vm, argv, options)` and `session.exec(argv, options)` take.
 *
 * @interface
 */
export type ExecOptions = z.input<typeof execOptionsSchema>;
/**
 * `ExecOptions` after checks and defaults.
 *
 * @interface
 */
export type ResolvedExecOptions = Readonly<z.output<typeof execOptionsSchema>>;

const checkShell = (argv: readonly string[], shell: boolean): readonly string[] => {
  if (!shell) {
    return argv;
  }
  if (argv.length !== 1) {
    parseInput(
      z.array(z.string()).length(1, {
        error: 'expected one string, the script, when options.shell is true',
      }),
      argv,
      'argv',
    );
  }
  return ['/bin/sh', '-c', argv[0] as string];
};

/** Checks the command and the options of a streamed command, and fills in the defaults. */
export const resolveSpawnOptions = (
  argv: unknown,
  options: SpawnInGuestOptions | undefined,
): { readonly argv: readonly string[]; readonly options: ResolvedSpawnInGuestOptions } => {
  const resolved = parseInput(spawnOptionsSchema, options ?? {}, 'options');
  return {
    argv: checkShell(parseInput(argvSchema, argv, 'argv'), resolved.shell),
    options: resolved,
  };
};

/** Checks the command and the options of a command whose output is kept, and fills in the defaults. */
export const resolveExecOptions = (
  argv: unknown,
  options: ExecOptions | undefined,
): { readonly argv: readonly string[]; readonly options: ResolvedExecOptions } => {
  const resolved = parseInput(execOptionsSchema, options ?? {}, 'options');
  return {
    argv: checkShell(parseInput(argvSchema, argv, 'argv'), resolved.shell),
    options: resolved,
  };
};
