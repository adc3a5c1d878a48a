// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import type { ProcessSpawner } from '@kindling/spawner';

/** How a helper tool ended, with what it wrote to stderr. */
export interface ToolResult {
  readonly code: number | null;
  readonly stderr: string;
}

const TOOL_TIMEOUT_MS = 10_000;

// Where util-linux and coreutils live when PATH (cleared by the jailer) does not say.
const FALLBACK_DIRS = [
  '/usr/local/sbin',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/bin',
  '/sbin',
  '/bin',
];

/**
 * The absolute path of a helper tool, searched in `pathVariable` and then the usual system
 * folders; the name itself when it is found nowhere, so that spawning it reports ENOENT.
 */
export const findTool = (name: string, pathVariable: string | undefined): string => {
  const dirs = [...(pathVariable ?? '').split(path.delimiter).filter(Boolean), ...FALLBACK_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder: try the next one.
    }
  }
  return name;
};

/**
 * Runs a helper tool (`mknod`, `prlimit`) to completion through a spawner, with no stdin or
 * stdout and its stderr collected; it is killed if it takes longer than ten seconds.
 */
export const runTool = async (
  spawner: ProcessSpawner,
  binary: string,
  args: readonly string[],
): Promise<ToolResult> => {
  const child = await spawner.spawn(binary, args, {
    stdio: { stdin: 'ignore', stdout: 'ignore', stderr: 'pipe' },
    extendEnv: false,
    env: {},
    signal: AbortSignal.timeout(TOOL_TIMEOUT_MS),
  });
  const [exit, stderr] = await Promise.all([
    child.exited,
    child.stderr === null ? Promise.resolve('') : text(child.stderr),
  ]);
  return { code: exit.code, stderr };
};
