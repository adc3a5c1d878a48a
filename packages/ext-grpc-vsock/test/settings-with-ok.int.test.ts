// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import http2 from 'node:http2';
import net, { type Socket } from 'node:net';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { createTempFolder, TEST_WAIT_MS, type TempFolder } from '@kindling/test-utils';
import type { VsockConnectable } from '@kindling/vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrpcVsockTransport } from '../src/index.js';
import { guestAgent } from './support/guest-agent.js';

// A guest whose HTTP/2 server's first bytes (its SETTINGS) leave in the same write as
// Firecracker's `OK` line, so that the host reads them together: the case a client must not
// lose. The server answers Unary by echoing the request's gRPC frame.
const startCoalescingGuest = async (socketPath: string): Promise<net.Server> => {
  const h2 = http2.createServer();
  h2.on('stream', (stream) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc' },
        { waitForTrailers: true },
      );
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(Buffer.concat(chunks));
    });
  });
  const server = net.createServer((socket) => {
    socket.once('data', () => {
      // Writes through the JS stream, corked until the server's preface is queued behind OK.
      socket.cork();
      socket.write('OK 1073741824\n');
      h2.emit('connection', Duplex.from({ readable: socket, writable: socket }));
      setImmediate(() => socket.uncork());
    });
  });
  server.listen(socketPath);
  await once(server, 'listening');
  return server;
};

/**
 * What `vm.connectVsock()` does with the answer, for this stand-in VM: the first read must hold
 * more than the OK line (else the case is not made), and what follows it is put back.
 */
const coalescingConnectable = (socketPath: string, firstReads: Buffer[]): VsockConnectable => ({
  connectVsock: async (port) => {
    const socket: Socket = net.connect(socketPath);
    socket.write(`CONNECT ${port}\n`);
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    firstReads.push(chunk);
    socket.pause();
    const end = chunk.indexOf(0x0a);
    socket.unshift(chunk.subarray(end + 1));
    return socket;
  },
});

let folder: TempFolder;
let server: net.Server;
const socketPath = (): string => path.join(folder.path, 'v.sock');
beforeAll(async () => {
  folder = await createTempFolder('kindling-grpc-settings-');
  server = await startCoalescingGuest(socketPath());
});
afterAll(async () => {
  server.close();
  await folder[Symbol.asyncDispose]();
});

describe('the guest SETTINGS frame that arrives with the OK line', () => {
  it('reaches the HTTP/2 session: the call succeeds', async () => {
    const firstReads: Buffer[] = [];
    using transport = createGrpcVsockTransport(
      coalescingConnectable(socketPath(), firstReads),
      9000,
    );
    const answer = await guestAgent(transport).unary(
      { text: 'settings kept' },
      { timeoutMs: TEST_WAIT_MS },
    );
    expect(answer.text).toBe('settings kept');
    // The case was made: OK, then an HTTP/2 SETTINGS frame (type 4 at offset 3 of its header).
    expect(firstReads).toHaveLength(1);
    const [first] = firstReads;
    const okLength = 'OK 1073741824\n'.length;
    expect(first?.subarray(0, okLength).toString()).toBe('OK 1073741824\n');
    expect(first?.length).toBeGreaterThanOrEqual(okLength + 9);
    expect(first?.[okLength + 3]).toBe(0x04);
  });
});
