// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  FrameType,
  type MuxStream,
  type OpenRequest,
  type StreamHandler,
} from '@kindling/exec-agent/protocol';
import { raceSignal } from '@kindling/helpers';
import { connectToAgent, type AgentConnection } from './agent-connection.js';
import type { AgentLink } from './agent-link.js';
import { explainClose } from './call-failure.js';
import { ExecError } from './errors.js';
import type { ExecVm } from './exec-vm.js';
import type { ResolvedExecSessionOptions } from './session-options.js';
import { describeVmEnd, VmEndWatch } from '@kindling/vm';

/**
 * A session's connection to the agent: made at the first call, made again at the next call when
 * it closed under a running VM, closed when the VM ends or the session closes.
 */
export class SessionLink implements AgentLink {
  readonly #vm: ExecVm;
  readonly #options: ResolvedExecSessionOptions;
  readonly #watch: VmEndWatch;
  #connection: AgentConnection | undefined;
  #connecting: Promise<AgentConnection> | undefined;
  #closed = false;

  constructor(vm: ExecVm, options: ResolvedExecSessionOptions) {
    this.#vm = vm;
    this.#options = options;
    this.#watch = new VmEndWatch(vm, () => this.#connection?.mux.close());
  }

  async openStream(
    request: OpenRequest,
    handler: StreamHandler,
    signal?: AbortSignal,
  ): Promise<MuxStream> {
    signal?.throwIfAborted();
    // The connection is shared: a caller's abort stops its own wait, not the connecting.
    const connecting = this.#connect();
    const { mux, socket } = await (signal === undefined
      ? connecting
      : raceSignal(connecting, signal));
    signal?.throwIfAborted();
    // A call in flight holds Node up; an idle connection does not (a forgotten session, or a VM
    // that outlives the program, must not keep it running).
    socket.ref();
    const unrefWhenIdle = (): void => {
      queueMicrotask(() => {
        if (mux.openStreams === 0) {
          socket.unref();
        }
      });
    };
    const stream = mux.openStream({
      onFrame: (frame) => {
        handler.onFrame(frame);
        unrefWhenIdle();
      },
      onClose: (reason) => {
        handler.onClose(reason);
        unrefWhenIdle();
      },
    });
    stream.sendJson(FrameType.OPEN, request);
    return stream;
  }

  explainClose(reason: Error, call: string): Promise<Error> {
    return explainClose(reason, call, this.#watch);
  }

  /** Closes the connection (calls in flight fail) and refuses later calls. */
  close(): void {
    this.#closed = true;
    this.#watch.stop();
    this.#connection?.mux.close();
    this.#connection = undefined;
  }

  #connect(): Promise<AgentConnection> {
    if (this.#closed) {
      return Promise.reject(
        new ExecError(
          'ERR_WRONG_STATE',
          'The exec session is closed: open another with openExecSession(vm)',
        ),
      );
    }
    const end = this.#watch.end;
    if (end !== undefined) {
      return Promise.reject(
        new ExecError(
          'ERR_VM_ENDED',
          `The VM ${describeVmEnd(end)}, so no agent answers on its vsock: start or restore a VM, then call again`,
        ),
      );
    }
    if (this.#connection !== undefined && !this.#connection.mux.isClosed) {
      return Promise.resolve(this.#connection);
    }
    // Concurrent calls after a close share one new connection.
    this.#connecting ??= connectToAgent(this.#vm, this.#options)
      .then((connection) => {
        if (this.#closed) {
          connection.mux.close();
          throw new ExecError('ERR_WRONG_STATE', 'The exec session was closed while connecting');
        }
        this.#connection = connection;
        return connection;
      })
      .finally(() => {
        this.#connecting = undefined;
      });
    return this.#connecting;
  }
}
