// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { JAILER_FLAGS } from './jailer-flags.js';

/** The version the fake jailer reports, as the real v1.16.1 jailer does. */
export const JAILER_VERSION = '1.16.1';

// The jailer's own help texts (its `build_arg_parser`), keyed by flag name.
const HELP: Readonly<Record<string, string>> = {
  id: 'Jail ID.',
  'exec-file': 'File path to exec into.',
  uid: 'The user identifier the jailer switches to after exec.',
  gid: 'The group identifier the jailer switches to after exec.',
  'chroot-base-dir': 'The base folder where chroot jails are located.',
  netns: 'Path to the network namespace this microVM should join.',
  daemonize:
    'Daemonize the jailer before exec, by invoking setsid(), and redirecting the standard I/O file descriptors to /dev/null.',
  'new-pid-ns': 'Exec into a new PID namespace.',
  cgroup:
    'Cgroup and value to be set by the jailer. It must follow this format: <cgroup_file>=<value> (e.g cpu.shares=10). This argument can be used multiple times to add multiple cgroups.',
  'resource-limit':
    'Resource limit values to be set by the jailer. It must follow this format: <resource>=<value> (e.g no-file=1024). This argument can be used multiple times to add multiple resource limits. Current available resource values are:\n\t\tfsize: The maximum size in bytes for files created by the process.\n\t\tno-file: Specifies a value one greater than the maximum file descriptor number that can be opened by this process.',
  'cgroup-version': 'Select the cgroup version used by the jailer.',
  'parent-cgroup': 'Parent cgroup in which the cgroup of this microvm will be placed.',
  version: 'Print the binary version number.',
  help: 'Show the help message.',
};

interface HelpEntry {
  readonly name: string;
  readonly takesValue: boolean;
  readonly required: boolean;
  readonly defaultValue: string | undefined;
}

const nameColumn = (entry: HelpEntry): string =>
  entry.takesValue ? `  --${entry.name} <${entry.name}>` : `  --${entry.name}`;

const formatGroup = (entries: readonly HelpEntry[]): string => {
  const width = Math.max(0, ...entries.map((entry) => nameColumn(entry).length));
  return entries
    .map((entry) => {
      const help = HELP[entry.name] ?? '';
      const text =
        entry.defaultValue === undefined ? help : `${help} [default: "${entry.defaultValue}"]`;
      return `${nameColumn(entry).padEnd(width)}   ${text}`;
    })
    .join('\n');
};

/**
 * The text `jailer --help` prints: the version line, the required and optional arguments in name
 * order (upstream keeps them in a `BTreeMap`) and the note about `--`.
 */
export const formatJailerHelp = (): string => {
  const entries: HelpEntry[] = JAILER_FLAGS.map((spec) => ({
    name: spec.flag.slice(2),
    takesValue: spec.kind !== 'switch',
    required: spec.required === true,
    defaultValue: spec.defaultValue,
  })).toSorted((left, right) => (left.name < right.name ? -1 : 1));
  const required = formatGroup(entries.filter((entry) => entry.required));
  const optional = formatGroup(entries.filter((entry) => !entry.required));
  const help = `required arguments:\n${required}\n\noptional arguments:\n${optional}`;
  return (
    `Jailer v${JAILER_VERSION}\n\n${help}\n\n` +
    'Any arguments after the -- separator will be supplied to the jailed binary.\n\n'
  );
};

/** The text `jailer --version` prints: the version line and an empty line. */
export const formatJailerVersion = (): string => `Jailer v${JAILER_VERSION}\n\n`;
