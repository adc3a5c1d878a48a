// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { formatRustDebugString } from '../serde/rust-format.js';
import { FIRECRACKER_ARGUMENTS } from './firecracker-flags.js';

/** An `UtilsArgParserError`: its Display (logged) and Debug (on stderr) forms. */
export interface ArgumentError {
  readonly display: string;
  readonly debug: string;
}

/** The outcome of parsing Firecracker's command line. */
export type ParsedCommandLine =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'arguments';
      /** Value arguments (defaults applied) and switches, by name without `--`. */
      readonly values: ReadonlyMap<string, string>;
      readonly switches: ReadonlySet<string>;
    }
  | { readonly kind: 'error'; readonly error: ArgumentError };

const error = (variant: string, display: string, ...fields: string[]): ParsedCommandLine => ({
  kind: 'error',
  error: { display, debug: `${variant}(${fields.map(formatRustDebugString).join(', ')})` },
});

/**
 * Parses arguments as Firecracker's `ArgParser` does: `--name value` as separate entries only,
 * no value starting with `--`, no duplicates; `--help`/`-h`/`--version` before `--` short-circuit.
 */
export const parseFirecrackerArguments = (argv: readonly string[]): ParsedCommandLine => {
  const separator = argv.indexOf('--');
  const args = separator === -1 ? argv : argv.slice(0, separator);
  if (args.includes('--help') || args.includes('-h')) {
    return { kind: 'help' };
  }
  if (args.includes('--version')) {
    return { kind: 'version' };
  }
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (!arg.startsWith('--')) {
      return error(
        'UnexpectedArgument',
        `Found argument '${arg}' which wasn't expected, or isn't valid in this context.`,
        arg,
      );
    }
    const name = arg.slice(2);
    const spec = FIRECRACKER_ARGUMENTS.get(name);
    if (spec === undefined) {
      return error(
        'UnexpectedArgument',
        `Found argument '${name}' which wasn't expected, or isn't valid in this context.`,
        name,
      );
    }
    if (values.has(name) || switches.has(name)) {
      return error(
        'DuplicateArgument',
        `The argument '${name}' was provided more than once.`,
        name,
      );
    }
    if (spec.takesValue) {
      const value = args[index + 1];
      if (value === undefined || value.startsWith('--')) {
        return error(
          'MissingValue',
          `The argument '${name}' requires a value, but none was supplied.`,
          name,
        );
      }
      values.set(name, value);
      index += 1;
    } else {
      switches.add(name);
    }
  }
  for (const [name, spec] of FIRECRACKER_ARGUMENTS) {
    if (!values.has(name) && !switches.has(name)) {
      continue;
    }
    if (spec.requires !== undefined && !args.includes(`--${spec.requires}`)) {
      return error(
        'MissingArgument',
        `Argument '${spec.requires}' required, but not found.`,
        spec.requires,
      );
    }
    for (const forbidden of spec.forbids ?? []) {
      if (args.includes(`--${forbidden}`)) {
        return error(
          'ForbiddenArgument',
          `Argument '${forbidden}' cannot be used together with argument '${name}'.`,
          name,
          forbidden,
        );
      }
    }
  }
  for (const [name, spec] of FIRECRACKER_ARGUMENTS) {
    if (spec.defaultValue !== undefined && !values.has(name)) {
      values.set(name, spec.defaultValue);
    }
  }
  return { kind: 'arguments', values, switches };
};
