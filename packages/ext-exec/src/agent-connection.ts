// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Socket } from 'node:net';
import { Multiplexer, PROTOCOL_VERSION } from '@kindling/exec-agent/protocol';
import { createDeadline, raceSignal } from '@kindling/helpers';
import manifest from '../package.json' with { type: 'json' };
import { ExecError } from './errors.js';
import type { ExecVm } from './exec-vm.js';
import type { ResolvedExecSessionOptions } from './session-options.js';

/** This package's version, named in the host's HELLO. */
export const EXT_EXEC_VERSION: string = manifest.version;

/** A connection to the agent: its multiplexer, and its socket (to let an idle one not hold Node up). */
export interface AgentConnection {
  readonly mux: Multiplexer;
  readonly socket: Socket;
}

/**
 * Opens a connection to the agent on the VM's vsock `port` and exchanges HELLO: resolves once
 * the agent has greeted with the same protocol version. Fails with `ERR_EXEC_AGENT_VERSION` on
 * another version, `ERR_WAIT_TIMEOUT` when no HELLO comes within `connectTimeoutMs`, `@kindling/vm`'s
 * vsock errors when the connection cannot be made, or the signal's reason; the connection is
 * closed on every failure.
 */
export const connectToAgent = async (
  vm: ExecVm,
  options: ResolvedExecSessionOptions,
  signal?: AbortSignal,
): Promise<AgentConnection> => {
  const socket = await vm.connectVsock(options.port, {
    timeoutMs: options.connectTimeoutMs,
    ...(signal === undefined ? {} : { signal }),
  });
  using deadline = createDeadline(options.connectTimeoutMs, signal);
  const mux = new Multiplexer(socket, {
    role: 'host',
    hello: { protocol: PROTOCOL_VERSION, host: EXT_EXEC_VERSION },
  });
  // vm.connectVsock hands the socket over paused; the multiplexer reads it from now on.
  socket.resume();
  try {
    await raceSignal(mux.remoteHello, deadline.signal);
    return { mux, socket };
  } catch (error) {
    mux.close();
    if (deadline.timedOut) {
      throw new ExecError(
        'ERR_WAIT_TIMEOUT',
        `The exec agent on guest port ${options.port} sent no HELLO within ${options.connectTimeoutMs} ms: is a Kindling exec agent listening there?`,
        { cause: error },
      );
    }
    throw error;
  }
};
