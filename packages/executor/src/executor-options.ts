// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { StdioMode, StdioOptions } from '@kindling/spawner';
import { type CommandModifier, VmmArguments } from '@kindling/vmm-core';
import { ExecutorError } from './errors.js';

/** The options both executors share. */
export interface CommonExecutorOptions {
  /** The `firecracker` command line; `--config-file` is set by `invoke`. */
  readonly vmmArguments: VmmArguments;
  /** Rewrite the command before it is spawned, in order (e.g. `NetnsModifier`). */
  readonly commandModifiers?: readonly CommandModifier[];
  /** How the process's standard streams are connected (default `'pipe'`: readable from the handle). */
  readonly stdio?: StdioMode | StdioOptions;
}

/** `CommonExecutorOptions` after checks and defaults. */
export interface ResolvedCommonExecutorOptions {
  readonly vmmArguments: VmmArguments;
  readonly commandModifiers: readonly CommandModifier[];
  readonly stdio: StdioMode | StdioOptions;
}

const describeValue = (value: unknown): string => {
  if (typeof value === 'object' && value !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
};

/** An `ERR_INVALID_OPTION` naming the option, the rule and the value. */
export const invalidOption = (subject: string, rule: string, value: unknown): ExecutorError =>
  new ExecutorError('ERR_INVALID_OPTION', `${subject}: ${rule}, got ${describeValue(value)}`);

const STDIO_MODES: ReadonlySet<unknown> = new Set<StdioMode>(['pipe', 'ignore', 'inherit']);
const STREAMS: ReadonlySet<string> = new Set(['stdin', 'stdout', 'stderr']);

const checkStdio = (subject: string, stdio: unknown): StdioMode | StdioOptions => {
  if (STDIO_MODES.has(stdio)) {
    return stdio as StdioMode;
  }
  const rule = "expected 'pipe', 'ignore', 'inherit' or an object of them per stream";
  if (typeof stdio !== 'object' || stdio === null) {
    throw invalidOption(subject, rule, stdio);
  }
  for (const [stream, mode] of Object.entries(stdio)) {
    if (!STREAMS.has(stream) || (mode !== undefined && !STDIO_MODES.has(mode))) {
      throw invalidOption(`${subject}.${stream}`, rule, mode);
    }
  }
  return stdio;
};

/** Checks an instance of a class by duck type as well, so two installed copies of vmm-core work. */
export const checkInstance = <T extends object>(
  subject: string,
  value: unknown,
  type: { readonly class: abstract new (...args: never[]) => T; readonly name: string },
  probe: string,
): T => {
  if (
    value instanceof type.class ||
    (typeof value === 'object' && value !== null && probe in value)
  ) {
    return value as T;
  }
  throw invalidOption(subject, `expected a ${type.name}`, value);
};

/** Checks the options both executors share, naming the executor in every message. */
export const resolveCommonOptions = (
  executor: string,
  options: CommonExecutorOptions,
): ResolvedCommonExecutorOptions => {
  if (typeof options !== 'object' || options === null) {
    throw invalidOption(`${executor} options`, 'expected an object', options);
  }
  const vmmArguments = checkInstance(
    `${executor}.vmmArguments`,
    options.vmmArguments,
    { class: VmmArguments, name: 'VmmArguments' },
    'toArgs',
  );
  const commandModifiers = options.commandModifiers ?? [];
  if (!Array.isArray(commandModifiers)) {
    throw invalidOption(`${executor}.commandModifiers`, 'expected an array', commandModifiers);
  }
  for (const [index, modifier] of commandModifiers.entries()) {
    if (typeof (modifier as Partial<CommandModifier> | null)?.apply !== 'function') {
      throw invalidOption(
        `${executor}.commandModifiers[${index}]`,
        'expected a CommandModifier (an object with an apply method)',
        modifier,
      );
    }
  }
  const stdio = checkStdio(`${executor}.stdio`, options.stdio ?? 'pipe');
  return { vmmArguments, commandModifiers, stdio };
};
