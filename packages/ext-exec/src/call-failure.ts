// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  PROTOCOL_ERROR_CODES,
  parseErrorMessage,
  parseJsonPayload,
  type ProtocolErrorCode,
} from '@kindling/exec-agent/protocol';
import { errorCodeOf, ExecError } from './errors.js';
import { describeVmEnd, type VmEndWatch } from '@kindling/vm';

/** An ERROR frame of a stream as an `ExecError` with the agent's code, prefixed by the call. */
export const errorFromFrame = (payload: Buffer, call: string): ExecError => {
  const { code, message } = parseErrorMessage(parseJsonPayload(payload, 'ERROR'));
  const known = PROTOCOL_ERROR_CODES.has(code as ProtocolErrorCode)
    ? (code as ProtocolErrorCode)
    : 'ERR_EXEC_PROTOCOL';
  return new ExecError(known, `${call}: ${message}`);
};

/**
 * The error a call reports when its connection closed under it: `ERR_VM_ENDED` when the VM ended
 * (after asking Firecracker when its end event has not come yet), else `ERR_EXEC_CONNECTION_CLOSED`
 * naming the call; a protocol or version error passes through. Never rejects.
 */
export const explainClose = async (
  reason: Error,
  call: string,
  watch: VmEndWatch,
): Promise<Error> => {
  if (errorCodeOf(reason) !== 'ERR_EXEC_CONNECTION_CLOSED') {
    return reason;
  }
  // A probe that fails says nothing of the VM: the connection's own error stands.
  const end = await watch.confirmEnd().catch((): undefined => {});
  if (end !== undefined) {
    return new ExecError(
      'ERR_VM_ENDED',
      `${call}: the VM ${describeVmEnd(end)} before the agent answered: start or restore a VM, then call again`,
      { cause: reason },
    );
  }
  return new ExecError(
    'ERR_EXEC_CONNECTION_CLOSED',
    `${call}: the connection to the guest agent closed before it answered (a snapshot resets vsock, or the agent ended); the next call opens a new connection`,
    { cause: reason },
  );
};

/** How a call is named in messages: `exec ["ls","-l"]`, `push /work`. */
export const describeCall = (op: string, subject: string | readonly string[]): string =>
  `${op} ${typeof subject === 'string' ? subject : JSON.stringify(subject)}`;
