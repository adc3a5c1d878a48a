// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Kindling's error brand: `isKindlingError` of @kindling/spawner recognises it without this package
// importing any layer.
const kKindlingError = Symbol.for('kindling.error');

/**
 * The codes the agent answers with in an ERROR frame, and the protocol's own failures.
 *
 * - `ERR_EXEC_AGENT_VERSION`: host and agent speak different protocol versions.
 * - `ERR_EXEC_PROTOCOL`: a malformed frame or message; the connection closes.
 * - `ERR_EXEC_CONNECTION_CLOSED`: the connection closed while a stream was open.
 * - `ERR_INVALID_INPUT`: a request with a bad field (the message names it).
 * - `ERR_EXEC_SPAWN`: the command could not be started (not found, not executable, bad cwd).
 * - `ERR_EXEC_PTY_UNAVAILABLE`: a PTY was asked for and the guest has no `script` to make one.
 * - `ERR_EXEC_PATH_ESCAPE`: a path (or a tar entry, or a link) leads outside the agent's root.
 * - `ERR_EXEC_NOT_FOUND`: the path does not exist.
 * - `ERR_EXEC_FILE_OPERATION`: a file operation failed otherwise (the message has the errno).
 * - `ERR_EXEC_TAR`: an uploaded archive is malformed or has a refused entry (named).
 */
export type ProtocolErrorCode =
  | 'ERR_EXEC_AGENT_VERSION'
  | 'ERR_EXEC_PROTOCOL'
  | 'ERR_EXEC_CONNECTION_CLOSED'
  | 'ERR_INVALID_INPUT'
  | 'ERR_EXEC_SPAWN'
  | 'ERR_EXEC_PTY_UNAVAILABLE'
  | 'ERR_EXEC_PATH_ESCAPE'
  | 'ERR_EXEC_NOT_FOUND'
  | 'ERR_EXEC_FILE_OPERATION'
  | 'ERR_EXEC_TAR';

/** Every code an ERROR frame may carry, for checking one that arrives. */
export const PROTOCOL_ERROR_CODES: ReadonlySet<ProtocolErrorCode> = new Set<ProtocolErrorCode>([
  'ERR_EXEC_AGENT_VERSION',
  'ERR_EXEC_PROTOCOL',
  'ERR_EXEC_CONNECTION_CLOSED',
  'ERR_INVALID_INPUT',
  'ERR_EXEC_SPAWN',
  'ERR_EXEC_PTY_UNAVAILABLE',
  'ERR_EXEC_PATH_ESCAPE',
  'ERR_EXEC_NOT_FOUND',
  'ERR_EXEC_FILE_OPERATION',
  'ERR_EXEC_TAR',
]);

/**
 * An error of the exec protocol or the agent: a Kindling error (`isKindlingError` is true) with a
 * stable code; on the host, an ERROR frame becomes one with the agent's code and message.
 */
export class ProtocolError extends Error {
  static {
    this.prototype.name = 'ProtocolError';
  }

  /** A stable identifier such as `ERR_EXEC_PATH_ESCAPE`; written once, never renamed. */
  readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, kKindlingError, { value: true });
  }
}
