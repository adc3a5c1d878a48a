// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { realpathSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { PROTOCOL_VERSION } from '../protocol/constants.js';
import { Multiplexer } from '../protocol/multiplexer.js';
import { EXEC_AGENT_VERSION } from '../protocol/package-version.js';
import { dispatchRequest } from './dispatch-request.js';
import { detectScript, type ScriptFlavour } from './pty.js';
import type { ExecContext } from './run-exec.js';

/** How an agent serves. */
export interface ExecAgentOptions {
  /** The folder every guest path is resolved under; `/` by default. It must exist. */
  readonly root?: string;
  /**
   * The protocol version the agent announces; PROTOCOL_VERSION by default. Only tests change it,
   * to see a host refuse an agent of another version.
   */
  readonly protocolVersion?: number;
  /**
   * Told when an exec's process group starts and ends (each command leads its own group). A
   * host-side stand-in (fake-vmm) uses it to kill what is left should it die without cleaning up.
   */
  readonly trackProcessGroup?: (pgid: number, state: 'started' | 'ended') => void;
}

/** An agent that serves connections handed to it (a vsock bridge, a Unix or TCP server). */
export interface ExecAgent {
  /** Serves one connection until it closes. */
  serve(socket: Duplex): void;
  /** Connections open now. */
  readonly connections: number;
  /** Closes every connection (their execs are killed, their partial uploads removed). */
  close(): void;
}

/** Creates an agent; `root` is resolved to its real path at once (it must exist). */
export const createExecAgent = (options: ExecAgentOptions = {}): ExecAgent => {
  const root = realpathSync(options.root ?? '/');
  const connections = new Set<Multiplexer>();
  let script: Promise<ScriptFlavour | undefined> | undefined;
  const context: ExecContext = {
    root,
    scriptFlavour: () => (script ??= detectScript()),
    trackProcessGroup: options.trackProcessGroup ?? (() => {}),
  };

  return {
    serve: (socket) => {
      const connection = new Multiplexer(socket, {
        role: 'agent',
        hello: { protocol: options.protocolVersion ?? PROTOCOL_VERSION, agent: EXEC_AGENT_VERSION },
        onOpen: (stream, payload) => dispatchRequest(stream, payload, context),
      });
      connections.add(connection);
      void connection.closed.then(() => connections.delete(connection));
    },
    get connections() {
      return connections.size;
    },
    close: () => {
      for (const connection of connections) {
        connection.close();
      }
    },
  };
};
