// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Transport } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import type { VsockConnectable } from '@kindling/vm';
import { GrpcVsockError } from './errors.js';
import { parseTransportInput, type GrpcVsockTransportOptions } from './transport-options.js';
import { GUEST_ORIGIN, VsockSessionManager } from './vsock-session-manager.js';

/**
 * A Connect `Transport` for `createClient()` whose HTTP/2 connections go to one guest port over
 * vsock; `close()` (or disposal) closes its connection and fails the calls still open.
 */
export interface GrpcVsockTransport extends Transport, Disposable {
  /** Closes the connection; open calls fail with `CANCELED`, later ones open a new connection. */
  close(): void;
}

const checkVm = (vm: unknown): VsockConnectable => {
  if (
    typeof vm !== 'object' ||
    vm === null ||
    typeof (vm as Partial<VsockConnectable>).connectVsock !== 'function'
  ) {
    throw new GrpcVsockError(
      'ERR_INVALID_INPUT',
      `vm: expected a Vm (an object with connectVsock), got ${vm === null ? 'null' : typeof vm}`,
    );
  }
  return vm as VsockConnectable;
};

/**
 * A gRPC transport to guest port `port` of `vm` (a `Vm` of `@kindling/vm`), for Connect's
 * `createClient(service, transport)`: unary, client-, server- and bidirectional streaming calls.
 * Each connection is made with `vm.connectVsock()`; one HTTP/2 connection carries every call and
 * is opened again when it was lost. A call's `timeoutMs` fails it with `DEADLINE_EXCEEDED`, its
 * `signal` with `CANCELED`; a connection that cannot be opened or is lost fails the calls on it
 * with `UNAVAILABLE`, whose `cause` is the Kindling error (`ERR_VSOCK_CLOSED`, `ERR_WRONG_STATE`,
 * `ERR_WAIT_TIMEOUT`, …). Bad arguments throw `ERR_INVALID_INPUT` at once.
 */
export const createGrpcVsockTransport = (
  vm: VsockConnectable,
  port: number,
  options: GrpcVsockTransportOptions = {},
): GrpcVsockTransport => {
  const target = checkVm(vm);
  const checked = parseTransportInput(port, options);
  const { connectTimeoutMs, defaultTimeoutMs, interceptors } = checked.options;
  const sessionManager = new VsockSessionManager(
    (signal) => target.connectVsock(checked.port, { signal, timeoutMs: connectTimeoutMs }),
    `guest port ${checked.port} over vsock`,
  );
  const transport = createGrpcTransport({
    baseUrl: GUEST_ORIGIN,
    sessionManager,
    interceptors: [...interceptors],
    ...(defaultTimeoutMs === undefined ? {} : { defaultTimeoutMs }),
  });
  const close = (): void => {
    sessionManager.close();
  };
  return {
    unary: (...args) => transport.unary(...args),
    stream: (...args) => transport.stream(...args),
    close,
    [Symbol.dispose]: close,
  };
};
