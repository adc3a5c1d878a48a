// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The Firecracker release Kindling targets, and what `install` fetches by default. */
export const FIRECRACKER_VERSION = '1.16.1';

/** The three binaries of a Firecracker release, by the variable that names each. */
export const BINARIES = [
  { name: 'firecracker', variable: 'KINDLING_FIRECRACKER' },
  { name: 'jailer', variable: 'KINDLING_JAILER' },
  { name: 'snapshot-editor', variable: 'KINDLING_SNAPSHOT_EDITOR' },
] as const;

export type BinaryName = (typeof BINARIES)[number]['name'];

/** Where a binary was found, and how. */
export interface FoundBinary {
  readonly path: string;
  readonly via: 'variable' | 'install folder' | 'PATH';
}

/** The folder `kindling install firecracker` puts a release in by default. */
export const defaultInstallDir = (
  env: NodeJS.ProcessEnv,
  version = FIRECRACKER_VERSION,
): string => {
  const data = env['XDG_DATA_HOME'];
  const base =
    data === undefined || data === '' ? path.join(os.homedir(), '.local', 'share') : data;
  return path.join(base, 'kindling', 'firecracker', `v${version}`);
};

/** Whether a file exists and this user may run it. */
export const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Finds a binary: the `KINDLING_*` variable naming it (taken as is, so a wrong one is reported,
 * not skipped), else the install folder of `kindling install`, else `PATH`.
 */
export const findBinary = (name: BinaryName, env: NodeJS.ProcessEnv): FoundBinary | undefined => {
  const variable = BINARIES.find((binary) => binary.name === name)?.variable ?? '';
  const named = env[variable];
  if (named !== undefined && named !== '') {
    return { path: path.resolve(named), via: 'variable' };
  }
  const installed = path.join(defaultInstallDir(env), name);
  if (isExecutable(installed)) {
    return { path: installed, via: 'install folder' };
  }
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir !== '' && isExecutable(candidate)) {
      return { path: candidate, via: 'PATH' };
    }
  }
  return undefined;
};
