// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { realpathSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { PROTOCOL_VERSION } from '../protocol/constants.js';
import { FrameType } from '../protocol/frame-types.js';
import type { OpenRequest } from '../protocol/messages.js';
import { Multiplexer } from '../protocol/multiplexer.js';
import type { MuxStream, StreamHandler } from '../protocol/mux-stream.js';
import { EXEC_AGENT_VERSION } from '../protocol/package-version.js';
import { parseJsonPayload, parseOpenRequest } from '../protocol/parse-messages.js';
import { answerWithError, toProtocolError } from './agent-errors.js';
import { listFolder, makeFolder, removePath, statPath } from './file-operations.js';
import { detectScript, type ScriptFlavour } from './pty.js';
import { runExec } from './run-exec.js';
import { runPull, runPush } from './transfer.js';

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

const NO_FRAMES: StreamHandler = { onFrame: () => undefined, onClose: () => undefined };

// A file operation answered by one RESULT.
const answer = (
  stream: MuxStream,
  work: Promise<unknown>,
  what: string,
  guestPath: string,
): StreamHandler => {
  work.then(
    (result) => {
      stream.sendJson(FrameType.RESULT, result);
      stream.end();
    },
    (error: unknown) => answerWithError(stream, toProtocolError(error, what, guestPath)),
  );
  return NO_FRAMES;
};

/** Creates an agent; `root` is resolved to its real path at once (it must exist). */
export const createExecAgent = (options: ExecAgentOptions = {}): ExecAgent => {
  const root = realpathSync(options.root ?? '/');
  const connections = new Set<Multiplexer>();
  let script: Promise<ScriptFlavour | undefined> | undefined;
  const context = {
    root,
    scriptFlavour: () => (script ??= detectScript()),
    trackProcessGroup: options.trackProcessGroup ?? (() => undefined),
  };

  const dispatch = (stream: MuxStream, request: OpenRequest): StreamHandler => {
    switch (request.op) {
      case 'exec':
        return runExec(stream, request, context);
      case 'push':
        return runPush(stream, request, root);
      case 'pull':
        return runPull(stream, request, root);
      case 'stat':
        return answer(stream, statPath(root, request.path), 'stat of', request.path);
      case 'list':
        return answer(stream, listFolder(root, request.path), 'list of', request.path);
      case 'remove':
        return answer(stream, removePath(root, request), 'remove of', request.path);
      case 'mkdir':
        return answer(stream, makeFolder(root, request), 'mkdir of', request.path);
    }
  };

  return {
    serve: (socket) => {
      const connection = new Multiplexer(socket, {
        role: 'agent',
        hello: { protocol: options.protocolVersion ?? PROTOCOL_VERSION, agent: EXEC_AGENT_VERSION },
        onOpen: (stream, payload) => {
          let request: OpenRequest;
          try {
            request = parseOpenRequest(parseJsonPayload(payload, 'OPEN'));
          } catch (error) {
            answerWithError(stream, toProtocolError(error, 'open', ''));
            return NO_FRAMES;
          }
          return dispatch(stream, request);
        },
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
