// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { FlagSpec } from '@kindling/vmm-core';
import { formatRustString } from '../rust/debug-format.js';

/** A syntax error of Firecracker's `utils::arg_parser`, with its `Display` and `Debug` texts. */
export interface ArgSyntaxError {
  readonly display: string;
  readonly debug: string;
}

/** What a command line holds once `utils::arg_parser` accepted it. */
export interface ParsedArguments {
  /** Every flag given a value on the command line (last one for repeatable flags not used). */
  readonly values: ReadonlyMap<string, string>;
  /** Every value of each repeatable flag, in order. */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  /** The switches present. */
  readonly switches: ReadonlySet<string>;
  /** Everything after the first `--`. */
  readonly extraArgs: readonly string[];
}

/** The outcome of parsing: a short-circuit (`--help`, `--version`), the arguments, or an error. */
export type ArgParseOutcome =
  | { readonly kind: 'help'; readonly extraArgs: readonly string[] }
  | { readonly kind: 'version'; readonly extraArgs: readonly string[] }
  | { readonly kind: 'parsed'; readonly arguments: ParsedArguments }
  | { readonly kind: 'error'; readonly error: ArgSyntaxError };

const PREFIX = '--';

const syntaxError = (variant: string, display: string, name: string): ArgParseOutcome => ({
  kind: 'error',
  error: { display, debug: `${variant}(${formatRustString(name)})` },
});

const missingArgument = (name: string): ArgParseOutcome =>
  syntaxError('MissingArgument', `Argument '${name}' required, but not found.`, name);

/**
 * Parses argv (without the program name) the way Firecracker's `utils::arg_parser` does: only
 * `--name value` as two entries, no `--name=value`, a value may not start with `--`, no
 * duplicates except repeatable flags, and `--help`/`-h`/`--version` before `--` short-circuit.
 * Required flags are checked in name order, as upstream iterates a `BTreeMap`.
 */
export const parseArguments = (
  table: readonly FlagSpec[],
  argv: readonly string[],
): ArgParseOutcome => {
  const separator = argv.indexOf(PREFIX);
  const args = separator === -1 ? argv : argv.slice(0, separator);
  const extraArgs = separator === -1 ? [] : argv.slice(separator + 1);
  if (args.includes('--help') || args.includes('-h')) {
    return { kind: 'help', extraArgs };
  }
  if (args.includes('--version')) {
    return { kind: 'version', extraArgs };
  }
  const specs = new Map(table.map((spec) => [spec.flag.slice(PREFIX.length), spec]));
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const switches = new Set<string>();
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (!arg.startsWith(PREFIX)) {
      return syntaxError(
        'UnexpectedArgument',
        `Found argument '${arg}' which wasn't expected, or isn't valid in this context.`,
        arg,
      );
    }
    const name = arg.slice(PREFIX.length);
    const spec = specs.get(name);
    if (spec === undefined) {
      return syntaxError(
        'UnexpectedArgument',
        `Found argument '${name}' which wasn't expected, or isn't valid in this context.`,
        name,
      );
    }
    const seen = values.has(name) || switches.has(name);
    if (spec.kind !== 'repeatable' && seen) {
      return syntaxError(
        'DuplicateArgument',
        `The argument '${name}' was provided more than once.`,
        name,
      );
    }
    if (spec.kind === 'switch') {
      switches.add(name);
      continue;
    }
    const value = args[index + 1];
    if (value === undefined || value.startsWith(PREFIX)) {
      return syntaxError(
        'MissingValue',
        `The argument '${name}' requires a value, but none was supplied.`,
        name,
      );
    }
    index += 1;
    if (spec.kind === 'repeatable') {
      lists.set(name, [...(lists.get(name) ?? []), value]);
    } else {
      values.set(name, value);
    }
  }
  const names = [...specs.keys()].toSorted();
  for (const name of names) {
    const spec = specs.get(name);
    const given = values.has(name) || lists.has(name) || switches.has(name);
    if (spec?.required === true && !given) {
      return missingArgument(name);
    }
    for (const needed of given ? (spec?.requires ?? []) : []) {
      if (!args.includes(needed)) {
        return missingArgument(needed.slice(PREFIX.length));
      }
    }
  }
  return { kind: 'parsed', arguments: { values, lists, switches, extraArgs } };
};
