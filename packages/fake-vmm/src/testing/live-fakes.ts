// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { rmSync } from 'node:fs';

/** A started fake as the exit hook sees it: a pid to kill and a folder to remove. */
interface LiveFake {
  readonly pid: number;
  readonly dir: string;
}

const live = new Set<LiveFake>();

// If the test process exits without stopping its fakes (a crash, process.exit), kill them and
// remove their folders, so a failed run leaves no Firecracker behind.
const onExit = (): void => {
  for (const fake of live) {
    try {
      process.kill(fake.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    rmSync(fake.dir, { recursive: true, force: true });
  }
  live.clear();
};

/** Records a running fake until `release` is called; the last release removes the exit hook. */
export const trackFake = (pid: number, dir: string): (() => void) => {
  const fake = { pid, dir };
  if (live.size === 0) {
    process.on('exit', onExit);
  }
  live.add(fake);
  return () => {
    if (live.delete(fake) && live.size === 0) {
      process.off('exit', onExit);
    }
  };
};
