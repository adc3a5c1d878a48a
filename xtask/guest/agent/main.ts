// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The test guest's agent, run by Node inside the VM: fake-vmm's own HTTP and gRPC services, so
// a scenario gets the same answers from the fake and from a real guest. It listens on Unix
// sockets in the folder given as its argument; socat bridges vsock ports 8000 and 9000 to them.
// The xtask guest builder bundles this file, with the services it imports, into one script.
import { createServer } from 'node:net';
import path from 'node:path';
import process from 'node:process';
import { createGrpcService } from '../../../packages/fake-vmm/src/guest/services/grpc-service.ts';
import { createHttpService } from '../../../packages/fake-vmm/src/guest/services/http-service.ts';

const HTTP_PORT = 8000;

const dir = process.argv[2] ?? '/run/kindling';
const http = createHttpService(HTTP_PORT);
const grpc = createGrpcService();
createServer((socket) => http.serve(socket)).listen(path.join(dir, 'http.sock'));
createServer((socket) => grpc.serve(socket)).listen(path.join(dir, 'grpc.sock'));
