// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawnSync } from 'node:child_process';

// Node is going down: each command is short, or it is killed.
const COMMAND_MS = 2_000;

/**
 * Runs a tool (`ip`, `nft`, `sysctl`) directly and synchronously, as Node goes down; whether it
 * succeeded, or failed saying the work was already done (`alreadyDone` matches its stderr).
 */
export const runCommandSync = (
  binary: string,
  args: readonly string[],
  alreadyDone?: RegExp,
): boolean => {
  const result = spawnSync(binary, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: COMMAND_MS,
    killSignal: 'SIGKILL',
  });
  return (
    result.status === 0 || (result.status !== null && alreadyDone?.test(result.stderr) === true)
  );
};
