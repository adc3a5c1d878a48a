// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { catchError, TEST_WAIT_MS } from '@kindling/test-utils';
import type { Vm } from '@kindling/vm';
import { fetch, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VsockDispatcher, vsockFetch, type VsockVm } from '../src/index.js';
import {
  createVmTestHarness,
  HTTP_PORT,
  isRealBackend,
  NEEDS_GUEST,
  SETUPS,
  type ExecutorSetup,
  type VmTestHarness,
} from '@kindling/test-vm';

// Long enough that only the VM's end, never a timeout, can fail a request of these tests.
const NEVER_MS = 600_000;

const defined = <Value>(value: Value | undefined): Value => {
  expect(value).toBeDefined();
  return value as Value;
};

const ping = (a: number, b: number) => ({
  method: 'POST' as const,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ a, b }),
});

// Counts the connections a dispatcher opens.
const countConnections = (dispatcher: VsockDispatcher): { readonly opened: number } => {
  const counter = { opened: 0 };
  dispatcher.on('connect', () => {
    counter.opened += 1;
  });
  return counter;
};

// The VM, with every connection `connectVsock` hands out kept for inspection.
const recordingSockets = (vm: Vm): { vm: VsockVm; sockets: Socket[] } => {
  const sockets: Socket[] = [];
  const recorded: VsockVm = new Proxy(vm, {
    get: (target, key) => {
      if (key === 'connectVsock') {
        return async (...args: Parameters<Vm['connectVsock']>) => {
          const socket = await target.connectVsock(...args);
          sockets.push(socket);
          return socket;
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return { vm: recorded, sockets };
};

describe.skipIf(isRealBackend).each(SETUPS)(
  `HTTP over vsock, $name ${NEEDS_GUEST}`,
  (setup: ExecutorSetup) => {
    let harness: VmTestHarness;
    beforeAll(async () => {
      harness = await createVmTestHarness({ label: 'http-vsock' });
    });
    afterAll(async () => {
      await harness[Symbol.asyncDispose]();
    });

    it("serves vsockFetch, undici's request and fetch, keeping one connection alive", async () => {
      const vm = await harness.boot(setup);
      const response = await vsockFetch(vm, HTTP_PORT, '/ping', ping(6, 7));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ c: 42 });

      await using dispatcher = new VsockDispatcher(vm, HTTP_PORT);
      const connections = countConnections(dispatcher);
      // The origin's host is only the Host header: every request goes to guest port 8000.
      const viaRequest = await request('http://guest/ping', { dispatcher, ...ping(3, 5) });
      expect(viaRequest.statusCode).toBe(200);
      expect(await viaRequest.body.json()).toEqual({ c: 15 });
      const viaFetch = await fetch('http://localhost/', { dispatcher });
      expect(await viaFetch.json()).toEqual({ service: 'kindling-fake-guest', port: HTTP_PORT });
      for (const text of ['one', 'two', 'three']) {
        const echoed = await dispatcher.request({ method: 'POST', path: '/echo', body: text });
        expect(await echoed.body.text()).toBe(text);
      }
      // Kept alive: five requests one after the other do not take five connections (undici's
      // pool may open a second one while the first is being handed back).
      expect(connections.opened).toBeGreaterThan(0);
      expect(connections.opened).toBeLessThan(5);
    });

    it('refuses at once while paused, and carries on after resume', async () => {
      const vm = await harness.boot(setup);
      await using dispatcher = new VsockDispatcher(vm, HTTP_PORT, { headersTimeoutMs: NEVER_MS });
      const connections = countConnections(dispatcher);
      await (await dispatcher.request({ method: 'GET', path: '/' })).body.dump();
      await vm.pause();
      await expect(dispatcher.request({ method: 'GET', path: '/' })).rejects.toMatchObject({
        name: 'HttpVsockError',
        code: 'ERR_WRONG_STATE',
        message:
          'GET / to guest port 8000 needs the VM to be "running", but it is "paused": resume it first (Firecracker serves no vsock connection while the VM is paused)',
      });
      await expect(vsockFetch(vm, HTTP_PORT, '/')).rejects.toMatchObject({
        code: 'ERR_WRONG_STATE',
      });
      await vm.resume();
      const { body } = await dispatcher.request({ path: '/ping', ...ping(2, 21) });
      expect(await body.json()).toEqual({ c: 42 });
      // The connection kept alive across the pause served the request.
      expect(connections.opened).toBe(1);
    });

    it('carries on after a snapshot, and talks to the restored VM', async () => {
      const name = `${setup.tag}-snap`;
      const vm = await harness.boot(setup, 'snap');
      await using dispatcher = new VsockDispatcher(vm, HTTP_PORT);
      const connections = countConnections(dispatcher);
      await (await dispatcher.request({ method: 'GET', path: '/' })).body.dump();
      await vm.pause();
      const snapshot = await vm.createSnapshot({
        snapshotPath: harness.pathFor(`${name}/snap/vm.state`),
        memPath: harness.pathFor(`${name}/snap/vm.mem`),
      });
      await vm.resume();
      // A snapshot resets vsock: the kept connection is gone, and the pool opens another.
      const after = await dispatcher.request({ path: '/ping', ...ping(4, 4) });
      expect(await after.body.json()).toEqual({ c: 16 });
      expect(connections.opened).toBe(2);

      const restored = await harness.restore(setup, snapshot, `${name}-r`);
      const fromRestored = await vsockFetch(restored, HTTP_PORT, '/ping', ping(5, 5));
      expect(await fromRestored.json()).toEqual({ c: 25 });
      // The original still answers on its own pool.
      const fromOriginal = await dispatcher.request({ path: '/ping', ...ping(1, 9) });
      expect(await fromOriginal.body.json()).toEqual({ c: 9 });
    });

    it('fails clearly: a refused port, a handshake timeout, bad input', async () => {
      const vm = await harness.boot(setup);
      await expect(vsockFetch(vm, 1234, '/')).rejects.toMatchObject({
        code: 'ERR_VSOCK_CLOSED',
        message: expect.stringMatching(/^vm\.connectVsock\(1234\): Firecracker closed/u),
      });
      await using refused = new VsockDispatcher(vm, 1234);
      await expect(refused.request({ method: 'GET', path: '/' })).rejects.toMatchObject({
        code: 'ERR_VSOCK_CLOSED',
      });

      // A stopped Firecracker accepts the connection (the kernel does) but never answers OK.
      await using slow = new VsockDispatcher(vm, HTTP_PORT, { connectTimeoutMs: 300 });
      const pid = defined(vm.pid);
      process.kill(pid, 'SIGSTOP');
      try {
        await expect(slow.request({ method: 'GET', path: '/' })).rejects.toMatchObject({
          code: 'ERR_WAIT_TIMEOUT',
          message: expect.stringContaining('no OK from Firecracker within 300 ms'),
        });
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      // Running again, it answers (through the shared pool: its connections have the default bound).
      const answer = await vsockFetch(vm, HTTP_PORT, '/');
      expect(await answer.json()).toMatchObject({ port: HTTP_PORT });

      expect(() => new VsockDispatcher(vm, -1)).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_INPUT',
          message: 'port: expected an integer from 0 to 4294967295, got -1',
        }),
      );
      expect(
        () => new VsockDispatcher(vm, HTTP_PORT, { connections: 0, timeoutMs: 5 } as object),
      ).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_INPUT',
          message: expect.stringContaining(
            'options.connections: expected an integer from 1 to 1024, got 0',
          ),
        }),
      );
      await expect(vsockFetch(vm, HTTP_PORT, 'ping')).rejects.toMatchObject({
        code: 'ERR_INVALID_INPUT',
        message: 'path: expected a path starting with /, such as /ping, got "ping"',
      });
    });

    it(
      'fails pending and queued requests at once with ERR_VM_ENDED when the VM is killed',
      async () => {
        const vm = await harness.boot(setup);
        const dispatcher = new VsockDispatcher(vm, HTTP_PORT, {
          connections: 1,
          headersTimeoutMs: NEVER_MS,
          bodyTimeoutMs: NEVER_MS,
        });
        // A body that never ends: the guest waits for the rest, and never answers.
        const body = new PassThrough();
        const connected = once(dispatcher, 'connect');
        const pending = catchError(dispatcher.request({ method: 'POST', path: '/echo', body }));
        body.write('the start of a body');
        await connected;
        const queued = catchError(dispatcher.request({ method: 'GET', path: '/' }));
        const fetched = catchError(
          vsockFetch(vm, HTTP_PORT, '/echo', {
            method: 'POST',
            body: new ReadableStream({
              start: (controller) => controller.enqueue(new Uint8Array(1)),
            }),
            duplex: 'half',
          }),
        );
        process.kill(defined(vm.pid), 'SIGKILL');
        for (const failure of [await pending, await queued, await fetched]) {
          expect(failure).toMatchObject({
            name: 'HttpVsockError',
            code: 'ERR_VM_ENDED',
            message: expect.stringMatching(
              / to guest port 8000: the VM .* before the response came: start or restore a VM, then send the request again$/u,
            ),
          });
        }
        await expect(dispatcher.request({ method: 'GET', path: '/' })).rejects.toMatchObject({
          code: 'ERR_VM_ENDED',
          message: expect.stringContaining('GET / to guest port 8000: the VM '),
        });
        await expect(vsockFetch(vm, HTTP_PORT, '/')).rejects.toMatchObject({
          code: 'ERR_VM_ENDED',
        });
        // A detached Firecracker's end is seen a little later (its pid is polled): then the pool goes.
        expect(await vm.waitForExit()).toEqual(setup.killedExit);
        expect(dispatcher.destroyed).toBe(true);
        body.destroy();
      },
      TEST_WAIT_MS,
    );

    it('serves 100 concurrent requests over one pool of at most `connections` connections', async () => {
      const vm = await harness.boot(setup);
      await using dispatcher = new VsockDispatcher(vm, HTTP_PORT, { connections: 8 });
      const connections = countConnections(dispatcher);
      const answers = await Promise.all(
        Array.from({ length: 100 }, async (_, index) => {
          const { body } = await dispatcher.request({ path: '/ping', ...ping(index, 3) });
          return body.json();
        }),
      );
      expect(answers).toEqual(Array.from({ length: 100 }, (_, index) => ({ c: index * 3 })));
      expect(connections.opened).toBeGreaterThan(0);
      expect(connections.opened).toBeLessThanOrEqual(8);
    });

    it('closes every connection on close(), after the requests in flight', async () => {
      const vm = await harness.boot(setup);
      const recording = recordingSockets(vm);
      const dispatcher = new VsockDispatcher(recording.vm, HTTP_PORT);
      const answers = await Promise.all(
        [1, 2, 3].map(async (a) =>
          (await dispatcher.request({ path: '/ping', ...ping(a, a) })).body.json(),
        ),
      );
      expect(answers).toEqual([{ c: 1 }, { c: 4 }, { c: 9 }]);
      expect(recording.sockets.length).toBeGreaterThan(0);
      expect(recording.sockets.some((socket) => socket.destroyed)).toBe(false);
      await dispatcher.close();
      expect(recording.sockets.every((socket) => socket.destroyed)).toBe(true);
      await expect(dispatcher.request({ method: 'GET', path: '/' })).rejects.toMatchObject({
        code: 'UND_ERR_DESTROYED',
      });
    });
  },
);
