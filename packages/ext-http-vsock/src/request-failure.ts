// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { errorCodeOf, HttpVsockError } from './errors.js';
import { describeVmEnd, type VmEnd, type VmEndWatch } from '@kindling/vm';

/** One request, as messages name it: `POST /ping to guest port 8000`. */
export interface RequestTarget {
  readonly request: string;
  readonly port: number;
}

// What a connection that broke looks like: undici's socket error, the OS's, or vm's handshake
// failing because nothing answers on the vsock socket any more.
const BROKEN_CONNECTION_CODES: ReadonlySet<unknown> = new Set([
  'UND_ERR_SOCKET',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ERR_VSOCK_CONNECT',
  'ERR_VSOCK_CLOSED',
  'ERR_WRONG_STATE',
]);

const isAbort = (error: Error): boolean =>
  error.name === 'AbortError' || errorCodeOf(error) === 'UND_ERR_ABORTED';

/** `ERR_VM_ENDED` for a request: the VM ended before it was answered, or before it was sent. */
export const createVmEndedError = (
  target: RequestTarget,
  end: VmEnd,
  options: { readonly pending: boolean; readonly cause?: unknown },
): HttpVsockError<'ERR_VM_ENDED'> =>
  new HttpVsockError(
    'ERR_VM_ENDED',
    options.pending
      ? `${target.request} to guest port ${target.port}: the VM ${describeVmEnd(end)} before the response came: start or restore a VM, then send the request again`
      : `${target.request} to guest port ${target.port}: the VM ${describeVmEnd(end)}, so nothing answers on its vsock: start or restore a VM, then send the request again`,
    options.cause === undefined ? undefined : { cause: options.cause },
  );

/**
 * The error a failed request reports: `ERR_VM_ENDED` when the VM ended (seen at once when its end
 * event came first; when the connection broke first, after asking Firecracker whether it runs),
 * else the error itself. Never rejects.
 */
export const explainFailure = (
  error: Error,
  target: RequestTarget,
  watch: VmEndWatch,
  endMarker: Error,
): Error | Promise<Error> => {
  const end = watch.end;
  // The caller's abort stays the caller's, whatever happened to the VM meanwhile.
  if (isAbort(error)) {
    return error;
  }
  if (end !== undefined) {
    const cause = error === endMarker ? undefined : error;
    return createVmEndedError(target, end, { pending: true, cause });
  }
  if (!BROKEN_CONNECTION_CODES.has(errorCodeOf(error))) {
    return error;
  }
  return watch.confirmEnd().then(
    (confirmed) =>
      confirmed === undefined
        ? error
        : createVmEndedError(target, confirmed, { pending: true, cause: error }),
    () => error,
  );
};
