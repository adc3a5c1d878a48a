// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { createClient } from '@connectrpc/connect';
import { createGrpcVsockTransport } from '@kindling/ext-grpc-vsock';
import { vsockFetch } from '@kindling/ext-http-vsock';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import {
  ECHO_PORT,
  GRPC_PORT,
  HTTP_PORT,
  unrestricted,
  type VmTestHarness,
} from '@kindling/test-vm';
import type { Vm } from '@kindling/vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// One definition of the guest agent's service: the gRPC extension's tests' generated code.
import { GuestAgent } from '../../ext-grpc-vsock/test/support/guest_pb.ts';
import { createE2eHarness, echoOver, noGuest, skipNote } from '../src/index.ts';

// A port on the host where the guest connects once up.
const HOST_PORT = 7000;

let harness: VmTestHarness;
let vm: Vm;
let accepted: Promise<[Socket]>;
beforeAll(async () => {
  harness = await createE2eHarness('guest', { connect: [HOST_PORT] });
  if (noGuest === undefined) {
    vm = await harness.prepare(unrestricted, harness.configuration('services'));
    await vm.start({ boot: false });
    const server = await vm.listenVsock(HOST_PORT);
    accepted = once(server, 'connection') as Promise<[Socket]>;
    await vm.boot();
    await vm.waitForSerialLine(harness.marker, { timeoutMs: TEST_WAIT_MS });
  }
});
afterAll(async () => {
  await harness[Symbol.asyncDispose]();
});

const texts = (): AsyncIterable<{ text: string }> =>
  Readable.from([{ text: 'a' }, { text: 'b' }]) as AsyncIterable<{ text: string }>;

const collect = async (messages: AsyncIterable<{ text: string }>): Promise<string[]> => {
  const received: string[] = [];
  for await (const message of messages) {
    received.push(message.text);
  }
  return received;
};

describe("vsock to the guest's services, unrestricted", () => {
  it.skipIf(noGuest !== undefined)(
    `raw: host to guest echo (5000)${skipNote(noGuest)}`,
    async () => {
      const socket = await vm.connectVsock(ECHO_PORT);
      expect(await echoOver(socket, 'hello guest')).toBe('hello guest');
      socket.destroy();
    },
  );

  it.skipIf(noGuest !== undefined)(
    `raw: guest to host, the guest echoes${skipNote(noGuest)}`,
    async () => {
      const [socket] = await accepted;
      expect(await echoOver(socket, 'hello host')).toBe('hello host');
      socket.destroy();
    },
  );

  it.skipIf(noGuest !== undefined)(`HTTP: POST /ping (8000)${skipNote(noGuest)}`, async () => {
    const response = await vsockFetch(vm, HTTP_PORT, '/ping', {
      method: 'POST',
      body: JSON.stringify({ a: 6, b: 7 }),
    });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { c: 42 },
    });
  });

  it.skipIf(noGuest !== undefined)(
    `gRPC: the four call kinds (9000)${skipNote(noGuest)}`,
    async () => {
      using transport = createGrpcVsockTransport(vm, GRPC_PORT, { connectTimeoutMs: TEST_WAIT_MS });
      const agent = createClient(GuestAgent, transport);
      expect({
        unary: (await agent.unary({ text: 'hello' })).text,
        client: (await agent.clientStreaming(texts())).text,
        server: await collect(agent.serverStreaming({ text: '2' })),
        duplex: await collect(agent.duplexStreaming(texts())),
      }).toEqual({
        unary: 'hello',
        client: 'a,b',
        server: ['pong 1', 'pong 2'],
        duplex: ['a', 'b'],
      });
    },
  );
});
