// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** A value option of a clap command, such as `-m, --memory-path <MEMORY_PATH>`. */
export interface OptionSpec {
  /** The field it fills, e.g. `memoryPath`. */
  readonly key: string;
  readonly short: string;
  readonly long: string;
  readonly valueName: string;
  readonly help: string;
}

/** A clap (sub)command: either a group of subcommands or a leaf with required options. */
export interface CommandSpec {
  readonly name: string;
  /** The doc comment clap shows, without its final period; empty when upstream has none. */
  readonly about: string;
  readonly subcommands: readonly CommandSpec[];
  readonly options: readonly OptionSpec[];
}

/** The version `snapshot-editor --version` reports (`#[command(version = "v…")]` upstream). */
export const SNAPSHOT_EDITOR_VERSION = 'v1.16.1';

const vmstatePath: OptionSpec = {
  key: 'vmstatePath',
  short: 'v',
  long: 'vmstate-path',
  valueName: 'VMSTATE_PATH',
  help: 'Path to the vmstate file',
};

const leaf = (name: string, about: string, options: readonly OptionSpec[]): CommandSpec => ({
  name,
  about,
  subcommands: [],
  options,
});

/**
 * The commands of the x86_64 `snapshot-editor` v1.16.1: `edit-memory rebase` and
 * `info-vmstate version|vcpu-states|vm-state` (`edit-vmstate` exists on aarch64 only).
 */
export const SNAPSHOT_EDITOR_COMMANDS: CommandSpec = {
  name: 'snapshot-editor',
  about: '',
  options: [],
  subcommands: [
    {
      name: 'edit-memory',
      about: '',
      options: [],
      subcommands: [
        leaf('rebase', 'Apply a diff snapshot on top of a base one', [
          {
            key: 'memoryPath',
            short: 'm',
            long: 'memory-path',
            valueName: 'MEMORY_PATH',
            help: 'Path to the memory file',
          },
          {
            key: 'diffPath',
            short: 'd',
            long: 'diff-path',
            valueName: 'DIFF_PATH',
            help: 'Path to the diff file',
          },
        ]),
      ],
    },
    {
      name: 'info-vmstate',
      about: '',
      options: [],
      subcommands: [
        leaf('version', 'Print snapshot version', [vmstatePath]),
        leaf('vcpu-states', 'Print info about vcpu states', [vmstatePath]),
        leaf('vm-state', 'Print readable MicroVM state', [vmstatePath]),
      ],
    },
  ],
};
