// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Call a gRPC service in the guest over vsock (guest port 9000: the GuestAgent of gen/guest_pb.ts,
// which the fake guest serves), with a Connect client: a unary and a server-streaming call.
//   node examples/grpc-vsock.ts
import path from 'node:path';
import { createClient } from '@connectrpc/connect';
import { createGrpcVsockTransport } from '@kindling/ext-grpc-vsock';
import { Vm } from '@kindling/vm';
import { createScratchFolder, readEnvironment } from './environment.ts';
import { GuestAgent } from './gen/guest_pb.ts';

const GUEST_PORT = 9000;

const { installation, bootSource, readyLine, socketWaitTimeoutMs } = readEnvironment();
await using scratch = await createScratchFolder('grpc-vsock');

await using vm = await Vm.prepare({
  installation,
  socketWaitTimeoutMs,
  configuration: {
    bootSource,
    machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
    vsock: { guest_cid: 3, uds_path: path.join(scratch.path, 'v.sock') },
  },
});
await vm.start();
await vm.waitForSerialLine(readyLine, { timeoutMs: 20_000 });

// No connection is made until the first call; the transport closes when the scope ends.
using transport = createGrpcVsockTransport(vm, GUEST_PORT);
const agent = createClient(GuestAgent, transport);

const reply = await agent.unary({ text: 'hello' }, { timeoutMs: 5_000 });
console.log(`unary: ${reply.text}`);
for await (const message of agent.serverStreaming({ text: '3' }, { timeoutMs: 5_000 })) {
  console.log(`stream: ${message.text}`);
}
