// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `VmError`. Codes are written once and never renamed; each is listed with its
 * meaning in the package README.
 */
export type VmErrorCode =
  // Validation: nothing was started, written or sent (the same code in every layer)
  | 'ERR_INVALID_INPUT'
  // A request the VM's profile does not allow (a file outside its folders, a network under
  // 'none', a looser rate limiter, limits without a jailer): nothing was started or written
  | 'ERR_PROFILE_VIOLATION'
  // A call made in a state that does not allow it; the message names the state it needs
  | 'ERR_WRONG_STATE'
  // Lifecycle steps
  | 'ERR_PREPARE_FAILED'
  | 'ERR_START_FAILED'
  | 'ERR_CLEANUP_FAILED'
  // The API: Firecracker answered with an error (other API failures pass through from process)
  | 'ERR_API_RESPONSE'
  // Snapshots and restore
  | 'ERR_SNAPSHOT_COPY_FAILED'
  | 'ERR_RESTORE_PATH_MISMATCH'
  // Shutdown and exit
  | 'ERR_SHUTDOWN_FAILED'
  | 'ERR_SHUTDOWN_TIMEOUT'
  | 'ERR_PROCESS'
  // A bounded wait of vm's own (a vsock handshake, a serial line) ran out of time
  | 'ERR_WAIT_TIMEOUT'
  // Vsock: the socket cannot be reached, Firecracker closed the connection, or did not answer OK;
  // a listener for guest-initiated connections could not be made
  | 'ERR_VSOCK_CONNECT'
  | 'ERR_VSOCK_CLOSED'
  | 'ERR_VSOCK_HANDSHAKE'
  | 'ERR_VSOCK_LISTEN'
  // Serial output: there is none to read here, or it ended before the line came
  | 'ERR_SERIAL_UNAVAILABLE'
  | 'ERR_SERIAL_ENDED';

/** The error every `@kindling/vm` call throws; `code` says what failed. */
export class VmError<Code extends VmErrorCode = VmErrorCode> extends KindlingError<Code> {
  static {
    this.prototype.name = 'VmError';
  }
}

/** The `code` of an error (a Kindling or Node error), if it has one. */
export const errorCodeOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;

/** The message of an error, or the value as text. */
export const errorMessageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
