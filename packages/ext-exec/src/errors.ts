// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createInputParser } from '@kindling/helpers';
import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `ExecError`. Codes are written once and never renamed; each is listed with its
 * meaning in the root README's table. The agent's own codes (from an ERROR frame) keep their
 * name; `@kindling/vm`'s vsock errors (`ERR_VSOCK_CLOSED`, `ERR_VSOCK_CONNECT`,
 * `ERR_VSOCK_HANDSHAKE`, `ERR_WAIT_TIMEOUT`, `ERR_WRONG_STATE`) pass through unchanged.
 */
export type ExecErrorCode =
  // An argument or option breaks a rule (the same code in every layer)
  | 'ERR_INVALID_INPUT'
  // A call on a closed session, or a resize of a command without a PTY
  | 'ERR_WRONG_STATE'
  // The agent did not greet within `connectTimeoutMs`
  | 'ERR_WAIT_TIMEOUT'
  // The VM's Firecracker process ended while a call was being made, or before it was made
  | 'ERR_VM_ENDED'
  // Host and agent speak different protocol versions
  | 'ERR_EXEC_AGENT_VERSION'
  // A malformed frame or message from the agent; the connection was closed
  | 'ERR_EXEC_PROTOCOL'
  // The connection to the agent closed while a call was using it (the VM still runs)
  | 'ERR_EXEC_CONNECTION_CLOSED'
  // The command ran longer than `timeoutMs` and was killed
  | 'ERR_EXEC_TIMEOUT'
  // The command wrote more than `maxBuffer` bytes to stdout or stderr, and was killed
  | 'ERR_EXEC_MAX_BUFFER'
  // The agent could not start the command (not found, not executable, bad cwd)
  | 'ERR_EXEC_SPAWN'
  // A PTY was asked for and the guest has no way to make one
  | 'ERR_EXEC_PTY_UNAVAILABLE'
  // A path, archive entry or link leads outside the agent's root (or the pull's target)
  | 'ERR_EXEC_PATH_ESCAPE'
  // A path does not exist (in the guest, or the local path of a push)
  | 'ERR_EXEC_NOT_FOUND'
  // A file operation failed otherwise (the errno is in the message)
  | 'ERR_EXEC_FILE_OPERATION'
  // An archive is malformed, or has an entry of a kind that is refused
  | 'ERR_EXEC_TAR';

/** The error `@kindling/ext-exec` raises; `code` says what failed. */
export class ExecError<Code extends ExecErrorCode = ExecErrorCode> extends KindlingError<Code> {
  static {
    this.prototype.name = 'ExecError';
  }
}

/** Throws `ExecError` `ERR_INVALID_INPUT`: `subject.path: rule, got value`, one line each. */
export const parseInput = createInputParser(
  (message, options) => new ExecError('ERR_INVALID_INPUT', message, options),
);

/** The `code` of an error (a Kindling, undici or Node error), if it has one. */
export const errorCodeOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
