// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessSpawner } from '@kindling/spawner';
import { parseRustUnsigned } from '../rust/parse-unsigned.js';
import { jailerErrors } from './jailer-error.js';
import { runTool } from './run-tool.js';

/** The limits the jailer installs: `fsize` only when asked, `no-file` always (2048 by default). */
export interface ResourceLimits {
  readonly fileSize: bigint | undefined;
  readonly noFile: bigint;
}

const DEFAULT_NO_FILE = 2048n;

/** Parses `--resource-limit` values in upstream's order: the `=`, the number, then the name. */
export const parseResourceLimits = (args: readonly string[] | undefined): ResourceLimits => {
  let fileSize: bigint | undefined;
  let noFile = DEFAULT_NO_FILE;
  for (const arg of args ?? []) {
    const at = arg.indexOf('=');
    if (at === -1) {
      throw jailerErrors.resLimitFormat(arg);
    }
    const name = arg.slice(0, at);
    const text = arg.slice(at + 1);
    const parsed = parseRustUnsigned(text, 64);
    if (!parsed.ok) {
      throw jailerErrors.resLimitValue(text, parsed.reason);
    }
    switch (name) {
      case 'fsize':
        fileSize = parsed.value;
        break;
      case 'no-file':
        noFile = parsed.value;
        break;
      default:
        throw jailerErrors.resLimitArgument(name);
    }
  }
  return { fileSize, noFile };
};

// Node has no setrlimit(2); prlimit(1) sets the limits of a running process by pid, which the
// process (and any child it starts, as with exec) then runs under.
const setLimit = async (
  spawner: ProcessSpawner,
  prlimit: string,
  pid: number,
  option: string,
  resource: string,
  value: bigint,
): Promise<void> => {
  const result = await runTool(spawner, prlimit, [
    '--pid',
    String(pid),
    `${option}=${value}:${value}`,
  ]);
  if (result.code !== 0) {
    throw jailerErrors.setrlimit(resource, new Error(result.stderr.trim()));
  }
};

/** Installs the limits on `pid` (soft = hard = value), file size first as upstream does. */
export const installResourceLimits = async (
  limits: ResourceLimits,
  spawner: ProcessSpawner,
  prlimit: string,
  pid: number,
): Promise<void> => {
  if (limits.fileSize !== undefined) {
    await setLimit(spawner, prlimit, pid, '--fsize', 'size of file', limits.fileSize);
  }
  await setLimit(spawner, prlimit, pid, '--nofile', 'number of file descriptors', limits.noFile);
};
