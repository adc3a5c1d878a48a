// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SpawnedProcess } from '@kindling/spawner';
import { identifyProcess } from './detached-process.js';
import { FakeVmmError } from '../firecracker/errors.js';
import type { FakeProcess } from './fake-process.js';
import { startFailure } from './start-failure.js';

const readPidFile = async (file: string): Promise<number> => {
  const pid = Number((await readFile(file, 'utf8')).trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    throw new FakeVmmError('ERR_FAKE_START_FAILED', `${file} does not hold a process id`);
  }
  return pid;
};

/**
 * Waits for a jailer run with `--daemonize` or `--new-pid-ns` to exit 0, then identifies the
 * Firecracker it left running from the jail's pid file.
 */
export const adoptDetached = async (
  child: SpawnedProcess,
  chrootDir: string,
): Promise<FakeProcess> => {
  const exit = await child.exited;
  if (exit.code !== 0) {
    throw await startFailure('jailer', exit, child.stderr);
  }
  const pid = await readPidFile(path.join(chrootDir, 'firecracker.pid'));
  const detached = await identifyProcess(pid);
  if (detached === undefined) {
    throw new FakeVmmError(
      'ERR_FAKE_START_FAILED',
      `The fake Firecracker (pid ${pid}) started by the jailer exited before its API socket accepted connections`,
    );
  }
  return { kind: 'detached', process: detached };
};
