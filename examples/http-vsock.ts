// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Talk HTTP to a service in the guest over vsock (guest port 8000: `POST /ping {"a":6,"b":7}`
// answers `{"c":42}`, as the fake guest and fctools' test agent do).
//   node examples/http-vsock.ts
import path from 'node:path';
import { VsockDispatcher, vsockFetch } from '@kindling/ext-http-vsock';
import { Vm } from '@kindling/vm';
import { request } from 'undici';
import { createScratchFolder, readEnvironment } from './environment.ts';

const GUEST_PORT = 8000;

const { installation, bootSource, readyLine, socketWaitTimeoutMs } = readEnvironment();
await using scratch = await createScratchFolder('http-vsock');

await using vm = await Vm.prepare({
  installation,
  socketWaitTimeoutMs,
  configuration: {
    bootSource,
    machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
    // The host side of the guest's vsock device: a Unix socket.
    vsock: { guest_cid: 3, uds_path: path.join(scratch.path, 'v.sock') },
  },
});
await vm.start();
// The guest prints this line on its serial console once its services listen.
await vm.waitForSerialLine(readyLine, { timeoutMs: 20_000 });

// fetch over vsock: one pool of keep-alive connections per VM and port, shared by every call.
const body = JSON.stringify({ a: 6, b: 7 });
const response = await vsockFetch(vm, GUEST_PORT, '/ping', { method: 'POST', body });
console.log(`vsockFetch: ${response.status} ${JSON.stringify(await response.json())}`);

// Or a dispatcher of your own, for undici's request, fetch or stream.
await using dispatcher = new VsockDispatcher(vm, GUEST_PORT, { connections: 2 });
const answer = await request('http://guest/ping', { dispatcher, method: 'POST', body });
console.log(`undici request: ${answer.statusCode} ${JSON.stringify(await answer.body.json())}`);
// Leaving the scope closes the dispatcher's connections, then shuts the VM down.
