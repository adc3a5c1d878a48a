// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ChildProcess } from 'node:child_process';

// The children still running, and one `exit` listener for them all, added on the first spawn.
const running = new Set<ChildProcess>();
let hooked = false;

const terminateAll = (): void => {
  for (const child of running) {
    // A child of another user refuses (EPERM): Node reports it as an `error` event, not a throw.
    child.kill('SIGTERM');
  }
};

/**
 * Sends the child SIGTERM if it still runs when Node exits (`process.exit()` or an empty event
 * loop), as execa's `cleanup` did, so that a forgotten child does not outlive its program.
 */
export const terminateOnNodeExit = (child: ChildProcess): void => {
  if (!hooked) {
    hooked = true;
    process.on('exit', terminateAll);
  }
  running.add(child);
  child.once('exit', () => {
    running.delete(child);
  });
};
