// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `ExecutorError`. Codes are written once and never renamed; each is listed with its
 * meaning in the package README.
 */
export type ExecutorErrorCode =
  // An option or argument had a value the executor cannot use (the same code in every layer)
  | 'ERR_INVALID_INPUT'
  // A file-system step of prepare or cleanup failed (stale socket, jail folder, ownership)
  | 'ERR_PREPARE_FAILED'
  | 'ERR_CLEANUP_FAILED'
  // A virtual path could not be derived from a resource's initial path
  | 'ERR_VIRTUAL_PATH'
  // firecracker or jailer could not be started
  | 'ERR_SPAWN_FAILED'
  // The jailer exited non-zero before handing over a daemonized or new-pid-ns Firecracker
  | 'ERR_JAILER_FAILED'
  // Firecracker's pid file did not appear, or held no pid, before the timeout
  | 'ERR_PID_FILE_TIMEOUT'
  // /proc/<pid>/stat could not be read or parsed for a reason other than the process being gone
  | 'ERR_PROCESS_WATCH'
  // A wait for a process to exit timed out
  | 'ERR_WAIT_TIMEOUT'
  // The VMM's cgroup files could not be read for a reason other than their absence
  | 'ERR_RESOURCE_USAGE';

/** The error every executor operation throws; `code` says which step failed. */
export class ExecutorError extends KindlingError<ExecutorErrorCode> {
  static {
    this.prototype.name = 'ExecutorError';
  }
}
