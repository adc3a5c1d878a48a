// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The test guest's agent, run by Node inside the VM: fake-vmm's own HTTP and gRPC services, so
// a scenario gets the same answers from the fake and from a real guest, and the exec agent of
// @kindling/exec-agent (the same code fake-vmm serves). It listens on Unix sockets in the folder
// given as its argument; socat bridges vsock ports 8000, 9000 and 10000 to them.
// `main.mjs exec-selftest` instead asks the exec agent over the guest-local vsock transport.
// The xtask guest builder bundles this file, with what it imports, into one script.
import { createServer } from 'node:net';
import path from 'node:path';
import process from 'node:process';
import { startExecAgent } from '../../../packages/exec-agent/src/index.ts';
import { createGrpcService } from '../../../packages/fake-vmm/src/guest/services/grpc-service.ts';
import { createHttpService } from '../../../packages/fake-vmm/src/guest/services/http-service.ts';
import { runExecSelftest } from './exec-selftest.ts';

const HTTP_PORT = 8000;

if (process.argv[2] === 'exec-selftest') {
  process.stdout.write(`kindling-selftest: exec ${JSON.stringify(await runExecSelftest())}\n`);
  process.exit(0);
}
const dir = process.argv[2] ?? '/run/kindling';
const http = createHttpService(HTTP_PORT);
const grpc = createGrpcService();
createServer((socket) => http.serve(socket)).listen(path.join(dir, 'http.sock'));
createServer((socket) => grpc.serve(socket)).listen(path.join(dir, 'grpc.sock'));
await startExecAgent({ listen: path.join(dir, 'exec.sock') });
