// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { Code, ConnectError } from '@connectrpc/connect';
import { catchError, TEST_WAIT_MS } from '@kindling/test-utils';
import type { Vm } from '@kindling/vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrpcVsockTransport, type GrpcVsockTransport } from '../src/index.js';
import {
  CLOSED_PORT,
  createVmTestHarness,
  ECHO_PORT,
  GRPC_PORT,
  isRealBackend,
  NEEDS_GUEST,
  SETUPS,
  unrestricted,
  type ExecutorSetup,
  type VmTestHarness,
} from '@kindling/test-vm';
import { guestAgent, type GuestAgentClient } from './support/guest-agent.js';

let harness: VmTestHarness;
beforeAll(async () => {
  harness = await createVmTestHarness({ label: 'grpc' });
});
afterAll(async () => {
  await harness[Symbol.asyncDispose]();
});

/** Yields the texts, then waits until `until` is aborted: a request stream left open. */
async function* texts(values: readonly string[], until?: AbortSignal) {
  for (const text of values) {
    yield { text };
  }
  if (until !== undefined && !until.aborted) {
    await once(until, 'abort');
  }
}

const collect = async (messages: AsyncIterable<{ text: string }>): Promise<string[]> => {
  const received: string[] = [];
  for await (const message of messages) {
    received.push(message.text);
  }
  return received;
};

/** Runs all four call kinds and checks the fake guest's answers. */
const expectFourCallKinds = async (client: GuestAgentClient): Promise<void> => {
  expect((await client.unary({ text: 'hello' })).text).toBe('hello');
  expect((await client.clientStreaming(texts(['a', 'b', 'c']))).text).toBe('a,b,c');
  expect(await collect(client.serverStreaming({ text: '3' }))).toEqual([
    'pong 1',
    'pong 2',
    'pong 3',
  ]);
  expect(await collect(client.duplexStreaming(texts(['x', 'y'])))).toEqual(['x', 'y']);
};

/** The gRPC status error a call failed with. */
const statusOf = async (call: Promise<unknown>): Promise<ConnectError> => {
  const error = await catchError(call);
  expect(error).toBeInstanceOf(ConnectError);
  return error as ConnectError;
};

describe.skipIf(isRealBackend).each(SETUPS)(
  `gRPC to the fake guest, $name ${NEEDS_GUEST}`,
  (setup: ExecutorSetup) => {
    let vm: Vm;
    let transport: GrpcVsockTransport;
    let client: GuestAgentClient;
    beforeAll(async () => {
      vm = await harness.boot(setup, 'calls');
      transport = createGrpcVsockTransport(vm, GRPC_PORT, { connectTimeoutMs: TEST_WAIT_MS });
      client = guestAgent(transport);
    });
    afterAll(() => {
      transport.close();
    });

    it('makes unary, client-streaming, server-streaming and bidirectional calls', async () => {
      await expectFourCallKinds(client);
      // Calls side by side share the one connection.
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, index) => client.unary({ text: `n${index}` })),
      );
      expect(answers.map((answer) => answer.text)).toEqual(
        Array.from({ length: 8 }, (_, index) => `n${index}`),
      );
    });

    it('answers each message of a bidirectional call as it is sent', async () => {
      const received: string[] = [];
      const answers: PromiseWithResolvers<void>[] = [];
      // The next message goes only once the guest echoed this one.
      const requests = (async function* () {
        for (const text of ['one', 'two', 'three']) {
          const answered = Promise.withResolvers<void>();
          answers.push(answered);
          yield { text };
          await answered.promise;
        }
      })();
      for await (const message of client.duplexStreaming(requests)) {
        received.push(message.text);
        answers.shift()?.resolve();
      }
      expect(received).toEqual(['one', 'two', 'three']);
    });

    it('fails a call past its deadline with DEADLINE_EXCEEDED, and the connection stays usable', async () => {
      const open = new AbortController();
      // ClientStreaming answers once the request stream ends: left open, only the deadline ends it.
      const error = await statusOf(
        client.clientStreaming(texts(['a'], open.signal), { timeoutMs: 200 }),
      );
      open.abort();
      expect(error.code).toBe(Code.DeadlineExceeded);
      expect((await client.unary({ text: 'still there' })).text).toBe('still there');
    });

    it('fails a cancelled call with CANCELED, streaming or unary, and the connection stays usable', async () => {
      const cancel = new AbortController();
      const call = collect(
        client.duplexStreaming(texts(['first'], cancel.signal), { signal: cancel.signal }),
      );
      cancel.abort();
      expect((await statusOf(call)).code).toBe(Code.Canceled);
      const aborted = AbortSignal.abort();
      expect((await statusOf(client.unary({ text: 'x' }, { signal: aborted }))).code).toBe(
        Code.Canceled,
      );
      expect((await client.unary({ text: 'after' })).text).toBe('after');
    });

    it('fails with UNAVAILABLE and ERR_VSOCK_CLOSED when nothing listens on the port', async () => {
      using refused = createGrpcVsockTransport(vm, CLOSED_PORT);
      const error = await statusOf(guestAgent(refused).unary({ text: 'x' }));
      expect(error.code).toBe(Code.Unavailable);
      expect(error.message).toContain(`could not connect to guest port ${CLOSED_PORT} over vsock`);
      expect(error.cause).toMatchObject({ code: 'ERR_VSOCK_CLOSED' });
    });

    it('fails with UNAVAILABLE while the VM is paused, and works again once it resumes', async () => {
      using fresh = createGrpcVsockTransport(vm, GRPC_PORT);
      const freshClient = guestAgent(fresh);
      await vm.pause();
      try {
        const error = await statusOf(freshClient.unary({ text: 'x' }));
        expect(error.code).toBe(Code.Unavailable);
        expect(error.cause).toMatchObject({
          code: 'ERR_WRONG_STATE',
          message: `vm.connectVsock(${GRPC_PORT}) needs the VM to be "running", but it is "paused"`,
        });
      } finally {
        await vm.resume();
      }
      await expectFourCallKinds(freshClient);
      // The connection opened before the pause carries calls again too.
      await expectFourCallKinds(client);
    });

    it('fails a call with INTERNAL when the guest port does not speak HTTP/2, and throws nothing elsewhere', async () => {
      using echo = createGrpcVsockTransport(vm, ECHO_PORT);
      // The echo service sends our own HTTP/2 preface back: not a server's SETTINGS.
      const error = await statusOf(
        guestAgent(echo).unary({ text: 'x' }, { timeoutMs: TEST_WAIT_MS }),
      );
      expect(error.code).toBe(Code.Internal);
      expect(error.message).toBe('[internal] Protocol error');
    });

    it('reconnects after a snapshot dropped the connection, and calls a restored VM', async () => {
      const original = await harness.boot(setup, 'snap');
      using before = createGrpcVsockTransport(original, GRPC_PORT);
      const beforeClient = guestAgent(before);
      await expectFourCallKinds(beforeClient);
      await original.pause();
      const snapshot = await original.createSnapshot({
        snapshotPath: harness.pathFor(`${setup.tag}-snap/vm.state`),
        memPath: harness.pathFor(`${setup.tag}-snap/vm.mem`),
      });
      await original.resume();
      // The snapshot dropped the open connection: the next calls open a new one.
      await expectFourCallKinds(beforeClient);
      const copy = await snapshot.copy({
        snapshotPath: harness.pathFor(`${setup.tag}-copy/vm.state`),
        memPath: harness.pathFor(`${setup.tag}-copy/vm.mem`),
      });
      await original.shutdown();
      const restored = await harness.restore(setup, copy, `${setup.tag}-restored`);
      expect(restored.state).toBe('running');
      using after = createGrpcVsockTransport(restored, GRPC_PORT);
      await expectFourCallKinds(guestAgent(after));
    });

    it('fails a call open when the VM is killed with UNAVAILABLE, and the next ones too', async () => {
      const doomed = await harness.boot(setup, 'kill');
      using doomedTransport = createGrpcVsockTransport(doomed, GRPC_PORT);
      const doomedClient = guestAgent(doomedTransport);
      const open = new AbortController();
      const received: string[] = [];
      const call = (async () => {
        for await (const message of doomedClient.duplexStreaming(texts(['before'], open.signal))) {
          received.push(message.text);
          await doomed.shutdown([{ method: 'kill' }]);
        }
      })();
      const error = await statusOf(call);
      open.abort();
      expect(received).toEqual(['before']);
      expect(error.code).toBe(Code.Unavailable);
      expect(error.message).toContain(
        `the connection to guest port ${GRPC_PORT} over vsock was lost`,
      );
      const next = await statusOf(doomedClient.unary({ text: 'x' }));
      expect(next.code).toBe(Code.Unavailable);
      expect(next.cause).toMatchObject({ code: 'ERR_WRONG_STATE' });
    });

    it('fails calls open when the transport is closed with CANCELED; later calls reconnect', async () => {
      const closing = createGrpcVsockTransport(vm, GRPC_PORT);
      const closingClient = guestAgent(closing);
      expect((await closingClient.unary({ text: 'a' })).text).toBe('a');
      const open = new AbortController();
      const call = closingClient.clientStreaming(texts(['a'], open.signal));
      // The call is on the wire once the guest could have answered a unary call after it.
      expect((await closingClient.unary({ text: 'b' })).text).toBe('b');
      closing.close();
      const error = await statusOf(call);
      open.abort();
      expect(error.code).toBe(Code.Canceled);
      expect((await closingClient.unary({ text: 'c' })).text).toBe('c');
      closing.close();
    });
  },
);

describe.skipIf(isRealBackend)(`a hung VMM ${NEEDS_GUEST}`, () => {
  it('fails with UNAVAILABLE and ERR_WAIT_TIMEOUT when the handshake is not answered in time', async () => {
    const vm = await harness.boot(unrestricted, 'hung');
    expect(vm.pid).toBeTypeOf('number');
    const pid = vm.pid as number;
    // A stopped Firecracker still has its socket accept connections (the kernel's backlog), but
    // never answers CONNECT.
    process.kill(pid, 'SIGSTOP');
    try {
      using hung = createGrpcVsockTransport(vm, GRPC_PORT, { connectTimeoutMs: 200 });
      const error = await statusOf(guestAgent(hung).unary({ text: 'x' }));
      expect(error.code).toBe(Code.Unavailable);
      expect(error.cause).toMatchObject({ code: 'ERR_WAIT_TIMEOUT' });
      // A call's own deadline shorter than the handshake's wins.
      using slow = createGrpcVsockTransport(vm, GRPC_PORT, { connectTimeoutMs: TEST_WAIT_MS });
      const late = await statusOf(guestAgent(slow).unary({ text: 'x' }, { timeoutMs: 200 }));
      expect(late.code).toBe(Code.DeadlineExceeded);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });
});
