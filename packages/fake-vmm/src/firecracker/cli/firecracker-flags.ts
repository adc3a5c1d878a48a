// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** One argument of Firecracker's own `ArgParser`, by name without `--`. */
export interface FirecrackerArgument {
  readonly takesValue: boolean;
  readonly help: string;
  readonly defaultValue?: string;
  readonly requires?: string;
  readonly forbids?: readonly string[];
}

// The arguments `firecracker` v1.16.1 registers (src/firecracker/src/main.rs), with the help
// texts and requirement order of Rust's ArgParser that vmm-core's FIRECRACKER_FLAGS does not
// carry; a unit test keeps the two tables' flags, kinds and defaults equal.
/** Firecracker's arguments; a BTreeMap in Rust, so requirement checks run in name order. */
export const FIRECRACKER_ARGUMENTS: ReadonlyMap<string, FirecrackerArgument> = new Map(
  (
    [
      [
        'api-sock',
        {
          takesValue: true,
          defaultValue: '/run/firecracker.socket',
          help: 'Path to unix domain socket used by the API.',
        },
      ],
      [
        'boot-timer',
        {
          takesValue: false,
          help: 'Whether or not to load boot timer device for logging elapsed time since InstanceStart command.',
        },
      ],
      [
        'config-file',
        {
          takesValue: true,
          help: 'Path to a file that contains the microVM configuration in JSON format.',
        },
      ],
      [
        'describe-snapshot',
        {
          takesValue: true,
          help: 'Print the data format version of the provided snapshot state file.',
        },
      ],
      ['enable-pci', { takesValue: false, help: 'Enables PCIe support.' }],
      [
        'http-api-max-payload-size',
        {
          takesValue: true,
          defaultValue: '51200',
          help: 'Http API request payload max size, in bytes.',
        },
      ],
      [
        'id',
        {
          takesValue: true,
          defaultValue: 'anonymous-instance',
          help: 'MicroVM unique identifier.',
        },
      ],
      ['level', { takesValue: true, help: 'Set the logger level.' }],
      [
        'log-path',
        {
          takesValue: true,
          help: 'Path to a fifo or a file used for configuring the logger on startup.',
        },
      ],
      [
        'metadata',
        {
          takesValue: true,
          help: 'Path to a file that contains metadata in JSON format to add to the mmds.',
        },
      ],
      [
        'metrics-path',
        {
          takesValue: true,
          help: 'Path to a fifo or a file used for configuring the metrics on startup.',
        },
      ],
      ['mmds-size-limit', { takesValue: true, help: 'Mmds data store limit, in bytes.' }],
      ['module', { takesValue: true, help: 'Set the logger module filter.' }],
      [
        'no-api',
        {
          takesValue: false,
          requires: 'config-file',
          help: 'Optional parameter which allows starting and using a microVM without an active API socket.',
        },
      ],
      [
        'no-seccomp',
        {
          takesValue: false,
          forbids: ['seccomp-filter'],
          help: 'Optional parameter which allows starting and using a microVM without seccomp filtering. Not recommended.',
        },
      ],
      [
        'parent-cpu-time-us',
        {
          takesValue: true,
          help: 'Parent process CPU time (wall clock, microseconds). This parameter is optional.',
        },
      ],
      [
        'seccomp-filter',
        {
          takesValue: true,
          forbids: ['no-seccomp'],
          help: 'Optional parameter which allows specifying the path to a custom seccomp filter. For advanced users.',
        },
      ],
      [
        'show-level',
        { takesValue: false, help: 'Whether or not to output the level in the logs.' },
      ],
      [
        'show-log-origin',
        {
          takesValue: false,
          help: "Whether or not to include the file path and line number of the log's origin.",
        },
      ],
      ['snapshot-version', { takesValue: false, help: 'Print the supported data format version.' }],
      [
        'start-time-cpu-us',
        {
          takesValue: true,
          help: 'Process start CPU time (wall clock, microseconds). This parameter is optional.',
        },
      ],
      [
        'start-time-us',
        {
          takesValue: true,
          help: 'Process start time (wall clock, microseconds). This parameter is optional.',
        },
      ],
      ['version', { takesValue: false, help: 'Print the binary version number.' }],
    ] as const
  ).map(([name, spec]) => [name, spec as FirecrackerArgument]),
);

/** What `--help` prints after the version line: each argument, in name order, `--help` included. */
export const formatFirecrackerHelp = (): string => {
  const rows = [
    ...FIRECRACKER_ARGUMENTS,
    ['help', { takesValue: false, help: 'Show the help message.' } as FirecrackerArgument] as const,
  ]
    .toSorted(([left], [right]) => (left < right ? -1 : 1))
    .map(([name, spec]) => ({
      usage: `--${name}${spec.takesValue ? ` <${name}>` : ''}`,
      help: `${spec.help}${spec.defaultValue === undefined ? '' : ` [default: ${JSON.stringify(spec.defaultValue)}]`}`,
    }));
  // utils::arg_parser: the descriptions start three columns after the longest usage.
  const width = Math.max(...rows.map((row) => row.usage.length)) + 3;
  return `optional arguments:\n${rows.map((row) => `  ${row.usage.padEnd(width)}${row.help}`).join('\n')}`;
};
