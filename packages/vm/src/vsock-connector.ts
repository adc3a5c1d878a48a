// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Socket } from 'node:net';
import type { VsockConnectOptions } from './vsock-connect.js';
import { checkVsockPort } from './vm-vsock.js';

/**
 * A connector in undici's `connect(options, callback)` shape: give it as `connect` to an undici
 * `Client`, `Pool` or `Agent` to speak HTTP to a guest over vsock. The origin's host and port are
 * ignored: every connection goes to the one guest port the connector was made for.
 */
export type VsockConnector = (
  options: unknown,
  callback: (...result: [error: null, socket: Socket] | [error: Error, socket: null]) => void,
) => void;

/** What `createVsockConnector` connects through: a `Vm`, or anything that connects the same way. */
export interface VsockConnectable {
  connectVsock(port: number, options?: VsockConnectOptions): Promise<Socket>;
}

// undici's callback style, at the edge: it is given the socket or the error, never both.
const handOver = async (
  vm: VsockConnectable,
  port: number,
  options: VsockConnectOptions,
  callback: Parameters<VsockConnector>[1],
): Promise<void> => {
  let socket: Socket;
  try {
    socket = await vm.connectVsock(port, options);
  } catch (error) {
    callback(error instanceof Error ? error : new Error(String(error), { cause: error }), null);
    return;
  }
  callback(null, socket);
};

/**
 * Makes an undici connector that opens each connection with `vm.connectVsock(port, options)`:
 * the `CONNECT`/`OK` handshake, bounded by `options.timeoutMs`; aborting `options.signal` fails
 * every connection made from then on (for example when the VM is being shut down).
 */
export const createVsockConnector = (
  vm: VsockConnectable,
  port: number,
  options: VsockConnectOptions = {},
): VsockConnector => {
  checkVsockPort(port);
  return (_origin, callback) => {
    void handOver(vm, port, options, callback);
  };
};
