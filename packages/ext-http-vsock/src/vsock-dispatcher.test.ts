// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createConnection, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { VmState } from '@kindling/vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VsockDispatcher } from './vsock-dispatcher.js';
import type { VsockVm } from './vsock-vm.js';

// A scripted VM: its "vsock" connections go to a local HTTP server, its API answers as told.
class StandInVm extends EventTarget {
  state: VmState = 'running';
  apiAnswers = true;
  listeners = 0;
  readonly #socketPath: string;

  constructor(socketPath: string) {
    super();
    this.#socketPath = socketPath;
  }

  async connectVsock(): Promise<Socket> {
    const socket = createConnection(this.#socketPath);
    await once(socket, 'connect');
    return socket;
  }

  async getInfo(): Promise<unknown> {
    await Promise.resolve();
    if (!this.apiAnswers) {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ERR_API_REQUEST' });
    }
    return { state: 'Running' };
  }

  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    this.listeners += 1;
    super.addEventListener(...args);
  }

  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    this.listeners -= 1;
    super.removeEventListener(...args);
  }

  end(type: 'exit' | 'crash', detail: unknown): void {
    this.state = type === 'exit' ? 'exited' : 'crashed';
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  get asVm(): VsockVm {
    return this as unknown as VsockVm;
  }
}

type Route = (request: IncomingMessage, response: ServerResponse) => void;

let dir: string;
let server: Server;
let socketPath: string;
const routes = new Map<string, Route>();
const serverSockets = new Set<Socket>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-http-vsock-unit-'));
  socketPath = path.join(dir, 'guest.sock');
  server = createServer((request, response) => {
    const route = routes.get(request.url ?? '');
    if (route === undefined) {
      response.end('ok');
    } else {
      route(request, response);
    }
  });
  server.on('connection', (socket) => {
    serverSockets.add(socket);
    socket.once('close', () => serverSockets.delete(socket));
  });
  server.listen(socketPath);
  await once(server, 'listening');
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
  await rm(dir, { recursive: true, force: true });
});

// Never answers: only the VM's end can settle a request to it.
routes.set('/hang', (request) => {
  request.resume();
});
// Drops the connection in the middle of the request.
routes.set('/drop', (request) => {
  request.socket.destroy();
});

describe('VsockDispatcher', () => {
  it('fails a pending request at once when the VM ends, while its connection is still open', async () => {
    const vm = new StandInVm(socketPath);
    const dispatcher = new VsockDispatcher(vm.asVm, 8000, { headersTimeoutMs: 600_000 });
    const connected = once(dispatcher, 'connect');
    const pending = dispatcher.request({ method: 'GET', path: '/hang' });
    await connected;
    vm.end('crash', { kind: 'signaled', signal: 'SIGKILL' });
    await expect(pending).rejects.toMatchObject({
      name: 'HttpVsockError',
      code: 'ERR_VM_ENDED',
      message:
        'GET /hang to guest port 8000: the VM was ended by SIGKILL before the response came: start or restore a VM, then send the request again',
    });
    expect(dispatcher.destroyed).toBe(true);
    expect(vm.listeners).toBe(0);
    await expect(dispatcher.request({ method: 'POST', path: '/ping' })).rejects.toMatchObject({
      code: 'ERR_VM_ENDED',
      message:
        'POST /ping to guest port 8000: the VM was ended by SIGKILL, so nothing answers on its vsock: start or restore a VM, then send the request again',
    });
  });

  it("passes a broken connection's error through while Firecracker still answers", async () => {
    const vm = new StandInVm(socketPath);
    await using dispatcher = new VsockDispatcher(vm.asVm, 8000);
    await expect(dispatcher.request({ method: 'GET', path: '/drop' })).rejects.toMatchObject({
      code: 'UND_ERR_SOCKET',
    });
    const { body } = await dispatcher.request({ method: 'GET', path: '/' });
    expect(await body.text()).toBe('ok');
  });

  it('reports ERR_VM_ENDED for a broken connection when Firecracker no longer answers', async () => {
    const vm = new StandInVm(socketPath);
    await using dispatcher = new VsockDispatcher(vm.asVm, 8000);
    vm.apiAnswers = false;
    const error = await dispatcher
      .request({ method: 'GET', path: '/drop' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_VM_ENDED',
      message:
        'GET /drop to guest port 8000: the VM ended (its Firecracker process no longer answers on its API socket) before the response came: start or restore a VM, then send the request again',
      cause: { code: 'UND_ERR_SOCKET' },
    });
  });

  it('refuses at once, before connecting, a VM that is not running', async () => {
    const vm = new StandInVm(socketPath);
    await using dispatcher = new VsockDispatcher(vm.asVm, 8000);
    for (const state of ['paused', 'not-started'] as const) {
      vm.state = state;
      await expect(dispatcher.request({ method: 'GET', path: '/' })).rejects.toMatchObject({
        code: 'ERR_WRONG_STATE',
        message: expect.stringMatching(
          new RegExp(
            `^GET / to guest port 8000 needs the VM to be "running", but it is "${state}": `,
            'u',
          ),
        ),
      });
    }
    vm.state = 'exited';
    await expect(dispatcher.request({ method: 'GET', path: '/' })).rejects.toMatchObject({
      code: 'ERR_VM_ENDED',
    });
    expect(serverSockets.size).toBe(0);
  });

  it('stops watching the VM once closed, and closes its connections', async () => {
    const vm = new StandInVm(socketPath);
    const dispatcher = new VsockDispatcher(vm.asVm, 8000, { keepAliveTimeoutMs: 600_000 });
    expect(vm.listeners).toBe(2);
    await (await dispatcher.request({ method: 'GET', path: '/' })).body.dump();
    expect(serverSockets.size).toBe(1);
    const [serverSide] = serverSockets;
    const closed = once(serverSide as Socket, 'close');
    await dispatcher.close();
    await closed;
    expect(vm.listeners).toBe(0);
    expect(dispatcher.closed).toBe(true);
  });
});
