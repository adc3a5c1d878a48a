// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { SpawnedProcess } from '@kindling/spawner';
import { raceSignal, runWithDeadline } from '@kindling/helpers';
import { ExecutorError } from './errors.js';
import { waitForPidFile } from './pid-file.js';
import { watchPid } from './pid-process-handle.js';
import type { ProcessHandle } from './process-handle.js';
import { readTail } from './read-tail.js';
import { wrapStepFailure } from './step-failure.js';

/** What `takeOverDetached` needs to find the Firecracker the jailer forked off. */
export interface DetachedTakeover {
  /** The jailer, as spawned. */
  readonly jailer: SpawnedProcess;
  readonly pidFile: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  /** Makes the pid file readable when it is not (root's, under an upgraded ownership model). */
  readonly reclaimPidFile: (signal: AbortSignal) => Promise<void>;
}

const describeExit = (exit: Awaited<SpawnedProcess['exited']>): string =>
  exit.signal === null ? `exit code ${exit.code}` : `signal ${exit.signal}`;

/**
 * Under `--daemonize` or `--new-pid-ns` the jailer forks Firecracker off and exits 0; the pid is
 * in its pid file. Waits for both within the timeout and returns a detached handle (with the
 * jailer's pipes, which a new-pid-ns Firecracker inherits). A jailer that fails throws
 * `ERR_JAILER_FAILED` with its stderr; a pid file that holds no pid in time throws
 * `ERR_PID_FILE_TIMEOUT`. On any failure the jailer is killed, so nothing outlives it.
 */
export const takeOverDetached = async (takeover: DetachedTakeover): Promise<ProcessHandle> => {
  const { jailer, pidFile, timeoutMs } = takeover;
  let lastText: string | undefined;
  try {
    return await runWithDeadline(
      { timeoutMs, signal: takeover.signal },
      async (deadline) => {
        const exit = await raceSignal(jailer.exited, deadline);
        if (exit.code !== 0) {
          const stderr = await readTail(jailer.stderr, deadline);
          throw new ExecutorError(
            'ERR_JAILER_FAILED',
            `The jailer ended with ${describeExit(exit)} before starting Firecracker${stderr === '' ? '' : `: ${stderr}`}`,
          );
        }
        const pid = await waitForPidFile(pidFile, {
          signal: deadline,
          onUnreadable: () => takeover.reclaimPidFile(deadline),
          onRead: (text) => {
            lastText = text;
          },
        });
        return watchPid(pid, {
          stdin: jailer.stdin,
          stdout: jailer.stdout,
          stderr: jailer.stderr,
        });
      },
      (cause) =>
        new ExecutorError(
          'ERR_PID_FILE_TIMEOUT',
          `Firecracker's pid file ${pidFile} ${lastText === undefined ? 'did not appear' : `held no pid (${JSON.stringify(lastText.slice(0, 40))})`} within ${timeoutMs} ms of starting the jailer: check the jailer's stderr, or raise pidFileTimeoutMs`,
          { cause },
        ),
    );
  } catch (error) {
    // After a timeout or an abort the jailer may still run: it must not outlive the failure. It
    // is our own child, so SIGKILL ends it and `exited` settles.
    jailer.kill('SIGKILL');
    await jailer.exited;
    throw wrapStepFailure(
      'ERR_SPAWN_FAILED',
      'start Firecracker under the jailer',
      error,
      takeover.signal,
    );
  }
};
