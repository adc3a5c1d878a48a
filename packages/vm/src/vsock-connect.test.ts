// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reachSocketPath } from './reachable-socket-path.js';
import { connectVsockSocket } from './vsock-connect.js';

// A stand-in for Firecracker's vsock socket: `answer` decides what a connection gets.
let dir: string;
let server: Server;
let udsPath: string;
const accepted: Socket[] = [];
const received: string[] = [];
let answer: (socket: Socket) => void;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kindling-vsock-'));
  udsPath = path.join(dir, 'v.sock');
  accepted.length = 0;
  received.length = 0;
  server = createServer((socket) => {
    accepted.push(socket);
    socket.once('data', (chunk) => {
      received.push(String(chunk));
      answer(socket);
    });
  });
  server.listen(udsPath);
  await once(server, 'listening');
});

afterEach(async () => {
  for (const socket of accepted) {
    socket.destroy();
  }
  server.close();
  await once(server, 'close');
  await rm(dir, { recursive: true, force: true });
});

const target = (port = 5000) => ({ udsPath, port, caller: `vm.connectVsock(${port})` });

// Resolves once the client's end of every accepted connection is closed.
const allClosed = async (): Promise<void> => {
  for (const socket of accepted) {
    if (!socket.closed) {
      await once(socket, 'close');
    }
  }
};

describe('connectVsockSocket', () => {
  it('sends CONNECT, reads OK, and hands over the bytes that came with it', async () => {
    answer = (socket) => socket.write('OK 1073741824\nhello');
    const socket = await connectVsockSocket(target(), { timeoutMs: 5_000 });
    expect(received).toEqual(['CONNECT 5000\n']);
    const [greeting] = (await once(socket.resume(), 'data')) as [Buffer];
    expect(String(greeting)).toBe('hello');
    socket.destroy();
  });

  it('fails with ERR_VSOCK_CLOSED when Firecracker closes the connection', async () => {
    answer = (socket) => socket.destroy();
    await expect(connectVsockSocket(target(52), { timeoutMs: 5_000 })).rejects.toMatchObject({
      code: 'ERR_VSOCK_CLOSED',
      message: expect.stringContaining('nothing listens on port 52 in the guest'),
    });
  });

  it('reaches a socket whose path is longer than a socket address holds', async () => {
    const deep = path.join(dir, 'a'.repeat(60), 'b'.repeat(60));
    await mkdir(deep, { recursive: true });
    const longPath = path.join(deep, 'v.sock');
    const longServer = createServer((socket) => {
      socket.once('data', () => socket.write('OK 1073741825\n'));
      accepted.push(socket);
    });
    {
      // bind(2) has the same limit: the server is bound through the folder's fd as well.
      await using reachable = await reachSocketPath(longPath);
      longServer.listen(reachable.path);
      await once(longServer, 'listening');
    }
    try {
      expect(Buffer.byteLength(longPath)).toBeGreaterThan(108);
      const socket = await connectVsockSocket(
        { ...target(), udsPath: longPath },
        { timeoutMs: 5_000 },
      );
      socket.destroy();
    } finally {
      longServer.close();
    }
  });

  it('fails with ERR_VSOCK_HANDSHAKE on another answer, and closes the connection', async () => {
    answer = (socket) => socket.write('HTTP/1.1 400 Bad Request\r\n');
    await expect(connectVsockSocket(target(), { timeoutMs: 5_000 })).rejects.toMatchObject({
      code: 'ERR_VSOCK_HANDSHAKE',
      message: `vm.connectVsock(5000): expected "OK <host port>" from ${udsPath}, got "HTTP/1.1 400 Bad Request\\r": is this a Firecracker vsock socket?`,
    });
    await allClosed();
  });

  it('fails with ERR_VSOCK_HANDSHAKE on a long answer without a line end', async () => {
    answer = (socket) => socket.write('x'.repeat(40));
    await expect(connectVsockSocket(target(), { timeoutMs: 5_000 })).rejects.toMatchObject({
      code: 'ERR_VSOCK_HANDSHAKE',
    });
  });

  it('fails with ERR_VSOCK_CONNECT when the socket cannot be reached', async () => {
    await expect(
      connectVsockSocket(
        { ...target(), udsPath: path.join(dir, 'none.sock') },
        { timeoutMs: 5_000 },
      ),
    ).rejects.toMatchObject({
      code: 'ERR_VSOCK_CONNECT',
      message: expect.stringContaining('could not connect to the vsock socket'),
      cause: expect.objectContaining({ code: 'ENOENT' }),
    });
  });

  it('fails with ERR_WAIT_TIMEOUT when no answer comes, and closes the connection', async () => {
    // A guest that has not booted: Firecracker reads nothing yet.
    answer = (socket) => socket.pause();
    await expect(connectVsockSocket(target(), { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'ERR_WAIT_TIMEOUT',
      message:
        'vm.connectVsock(5000): no OK from Firecracker within 100 ms: is the VM running and its guest responsive?',
    });
    await allClosed();
  });

  it('rejects with the reason of an abort, and closes the connection', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    answer = () => controller.abort(reason);
    await expect(
      connectVsockSocket(target(), {
        timeoutMs: Number.POSITIVE_INFINITY,
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
    await allClosed();
    await expect(
      connectVsockSocket(target(), { timeoutMs: 5_000, signal: controller.signal }),
    ).rejects.toBe(reason);
  });
});
