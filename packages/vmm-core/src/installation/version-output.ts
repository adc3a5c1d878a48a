// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** The three binaries of a Firecracker release that an installation holds. */
export type VmmBinary = 'firecracker' | 'jailer' | 'snapshot-editor';

// The first line each binary prints for `--version`:
// - firecracker: "Firecracker v1.16.1\n\n" (its own argument parser);
// - jailer: "Jailer v1.16.1\n\n" (same parser);
// - snapshot-editor: "snapshot-editor v1.16.1\n" (clap, `version = format!("v{}", …)`); the name is
//   clap's, and a build whose name carries a suffix is still the same tool.
const VERSION_LINES: Readonly<Record<VmmBinary, RegExp>> = {
  firecracker: /^Firecracker v(\S+)$/u,
  jailer: /^Jailer v(\S+)$/u,
  'snapshot-editor': /^snapshot-editor(?:-\S+)? v(\S+)$/u,
};

const DISPLAY_NAMES: Readonly<Record<VmmBinary, string>> = {
  firecracker: 'Firecracker',
  jailer: 'Jailer',
  'snapshot-editor': 'snapshot-editor',
};

/** What `<binary> --version` should print, for messages: `Firecracker v<version>`. */
export const describeVersionLine = (binary: VmmBinary, version: string): string =>
  `${DISPLAY_NAMES[binary]} v${version}`;

/**
 * Reads the version a binary printed for `--version`, without the `v`, or `undefined` when the
 * output is not that binary's.
 */
export const parseVersionOutput = (binary: VmmBinary, stdout: string): string | undefined => {
  const firstLine = stdout.split('\n', 1)[0]?.trim() ?? '';
  return VERSION_LINES[binary].exec(firstLine)?.[1];
};
