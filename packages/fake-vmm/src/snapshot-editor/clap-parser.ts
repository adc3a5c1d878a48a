// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  type CommandSpec,
  type OptionSpec,
  SNAPSHOT_EDITOR_COMMANDS,
  SNAPSHOT_EDITOR_VERSION,
} from './command-tree.js';
import { suggestSimilar } from './jaro.js';

/** A command line clap accepted: the subcommand path and the option values by key. */
export interface ClapCommand {
  readonly kind: 'run';
  /** e.g. `['edit-memory', 'rebase']`. */
  readonly path: readonly string[];
  readonly values: Readonly<Record<string, string>>;
}

/** A command line clap answered itself: help, version, or a usage error (exit code 2). */
export interface ClapExit {
  readonly kind: 'exit';
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const HELP_ABOUT = 'Print this message or the help of the given subcommand(s)';
const MORE_INFO = "For more information, try '--help'.";

const optionLabel = (option: OptionSpec): string => `--${option.long} <${option.valueName}>`;

const usageOf = (spec: CommandSpec, path: readonly string[]): string => {
  const words = path.join(' ');
  return spec.subcommands.length > 0
    ? `${words} <COMMAND>`
    : [words, ...spec.options.map(optionLabel)].join(' ');
};

const table = (rows: readonly (readonly [string, string])[]): string => {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`.trimEnd()).join('\n');
};

/** The help clap prints for a command (to stdout for `--help`, to stderr when one is missing). */
export const renderHelp = (spec: CommandSpec, path: readonly string[]): string => {
  const isTop = path.length === 1;
  const sections: string[] = [];
  if (spec.about !== '') {
    sections.push(spec.about);
  }
  sections.push(`Usage: ${usageOf(spec, path)}`);
  if (spec.subcommands.length > 0) {
    const rows: [string, string][] = spec.subcommands.map((sub) => [sub.name, sub.about]);
    sections.push(`Commands:\n${table([...rows, ['help', HELP_ABOUT]])}`);
  }
  const options: [string, string][] = spec.options.map((option) => [
    `-${option.short}, ${optionLabel(option)}`,
    option.help,
  ]);
  options.push(['-h, --help', 'Print help']);
  if (isTop) {
    options.push(['-V, --version', 'Print version']);
  }
  sections.push(`Options:\n${table(options)}`);
  return `${sections.join('\n\n')}\n`;
};

const usageError = (
  message: string,
  spec: CommandSpec | undefined,
  path: readonly string[],
  tip?: string,
): ClapExit => {
  const parts = [`error: ${message}`];
  if (tip !== undefined) {
    parts.push(`  tip: ${tip}`);
  }
  if (spec !== undefined) {
    parts.push(`Usage: ${usageOf(spec, path)}`);
  }
  parts.push(MORE_INFO);
  return { kind: 'exit', code: 2, stdout: '', stderr: `${parts.join('\n\n')}\n` };
};

const printed = (stdout: string): ClapExit => ({ kind: 'exit', code: 0, stdout, stderr: '' });

const unexpected = (
  token: string,
  spec: CommandSpec,
  path: readonly string[],
  longs: readonly string[],
): ClapExit => {
  const similar = token.startsWith('--') ? suggestSimilar(token, longs) : undefined;
  return usageError(
    `unexpected argument '${token}' found`,
    spec,
    path,
    similar === undefined ? undefined : `a similar argument exists: '${similar}'`,
  );
};

// `help <sub>…` prints the help of the named (sub)command.
const helpFor = (
  spec: CommandSpec,
  path: readonly string[],
  names: readonly string[],
): ClapExit => {
  let current = spec;
  const currentPath = [...path];
  for (const name of names) {
    const sub = current.subcommands.find((candidate) => candidate.name === name);
    if (sub === undefined) {
      return usageError(`unrecognized subcommand '${name}'`, current, currentPath);
    }
    current = sub;
    currentPath.push(name);
  }
  return printed(renderHelp(current, currentPath));
};

type SplitOption =
  | { readonly option: OptionSpec; readonly inline: string | undefined }
  | { readonly option: undefined };

const splitOption = (spec: CommandSpec, token: string): SplitOption => {
  if (token.startsWith('--')) {
    const at = token.indexOf('=');
    const name = token.slice(2, at === -1 ? undefined : at);
    const option = spec.options.find((candidate) => candidate.long === name);
    return option === undefined
      ? { option }
      : { option, inline: at === -1 ? undefined : token.slice(at + 1) };
  }
  const option = spec.options.find((candidate) => candidate.short === token.slice(1, 2));
  if (option === undefined) {
    return { option };
  }
  const rest = token.slice(2);
  return { option, inline: rest === '' ? undefined : rest.replace(/^=/u, '') };
};

const isFlagLike = (token: string): boolean => token.startsWith('-') && token !== '-';

const parseLeaf = (
  spec: CommandSpec,
  path: readonly string[],
  tokens: readonly string[],
): ClapCommand | ClapExit => {
  const values: Record<string, string> = {};
  const longs = [...spec.options.map((option) => `--${option.long}`), '--help'];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] ?? '';
    if (token === '--') {
      const next = tokens[index + 1];
      if (next !== undefined) {
        return unexpected(next, spec, path, longs);
      }
      break;
    }
    if (token === '-h' || token === '--help') {
      return printed(renderHelp(spec, path));
    }
    if (!isFlagLike(token)) {
      return unexpected(token, spec, path, longs);
    }
    const split = splitOption(spec, token);
    if (split.option === undefined) {
      return unexpected(token.split('=')[0] ?? token, spec, path, longs);
    }
    const { option } = split;
    if (values[option.key] !== undefined) {
      return usageError(
        `the argument '${optionLabel(option)}' cannot be used multiple times`,
        spec,
        path,
      );
    }
    let value = split.inline;
    if (value === undefined) {
      const next = tokens[index + 1];
      if (next === undefined || isFlagLike(next)) {
        return usageError(
          `a value is required for '${optionLabel(option)}' but none was supplied`,
          undefined,
          path,
        );
      }
      value = next;
      index += 1;
    }
    values[option.key] = value;
  }
  const missing = spec.options.filter((option) => values[option.key] === undefined);
  if (missing.length > 0) {
    const list = missing.map((option) => `  ${optionLabel(option)}`).join('\n');
    return usageError(`the following required arguments were not provided:\n${list}`, spec, path);
  }
  return { kind: 'run', path: path.slice(1), values };
};

const parseCommand = (
  spec: CommandSpec,
  path: readonly string[],
  tokens: readonly string[],
): ClapCommand | ClapExit => {
  if (spec.subcommands.length === 0) {
    return parseLeaf(spec, path, tokens);
  }
  const isTop = path.length === 1;
  const [token, ...rest] = tokens;
  if (token === undefined) {
    // A required subcommand with nothing given: clap shows the help on stderr and exits 2.
    return { kind: 'exit', code: 2, stdout: '', stderr: renderHelp(spec, path) };
  }
  if (token === '-h' || token === '--help') {
    return printed(renderHelp(spec, path));
  }
  if (isTop && (token === '-V' || token === '--version')) {
    return printed(`${spec.name} ${SNAPSHOT_EDITOR_VERSION}\n`);
  }
  if (isFlagLike(token)) {
    return unexpected(token, spec, path, isTop ? ['--help', '--version'] : ['--help']);
  }
  if (token === 'help') {
    return helpFor(spec, path, rest);
  }
  const sub = spec.subcommands.find((candidate) => candidate.name === token);
  if (sub === undefined) {
    const names = [...spec.subcommands.map((candidate) => candidate.name), 'help'];
    const similar = suggestSimilar(token, names);
    return usageError(
      `unrecognized subcommand '${token}'`,
      spec,
      path,
      similar === undefined ? undefined : `a similar subcommand exists: '${similar}'`,
    );
  }
  return parseCommand(sub, [...path, sub.name], rest);
};

/** Parses `snapshot-editor` arguments (without the program name) as its clap derive would. */
export const parseSnapshotEditorArgs = (argv: readonly string[]): ClapCommand | ClapExit =>
  parseCommand(SNAPSHOT_EDITOR_COMMANDS, [SNAPSHOT_EDITOR_COMMANDS.name], argv);
