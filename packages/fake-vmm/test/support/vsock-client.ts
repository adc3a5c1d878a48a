// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';

/** What a host-side vsock connection attempt yielded. */
export interface VsockHandshake {
  /** The `OK <port>` line, or undefined when the connection was closed instead. */
  readonly ok: string | undefined;
  readonly socket: Socket;
  /** Bytes received after the OK line. */
  readonly rest: Buffer;
}

/** Connects to a vsock `uds_path` and sends `line` (default `CONNECT <port>\n`). */
export const vsockConnect = async (
  udsPath: string,
  port: number,
  line = `CONNECT ${port}\n`,
): Promise<VsockHandshake> => {
  const socket = createConnection(udsPath);
  // A refused or reset connection shows up as 'close'.
  socket.on('error', () => socket.destroy());
  await once(socket, 'connect');
  socket.write(line);
  let received = Buffer.alloc(0);
  return new Promise((resolve) => {
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf(0x0a);
      if (end !== -1) {
        cleanup();
        socket.pause();
        resolve({
          ok: received.toString('utf8', 0, end),
          socket,
          rest: received.subarray(end + 1),
        });
      }
    };
    const onClose = (): void => {
      cleanup();
      resolve({ ok: undefined, socket, rest: received });
    };
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('close', onClose);
    };
    socket.on('data', onData);
    socket.once('close', onClose);
  });
};

/** Reads until `count` bytes (counting `prefix`, already received) have arrived. */
export const readBytes = (
  socket: Socket,
  count: number,
  prefix: Buffer = Buffer.alloc(0),
): Promise<string> => {
  let received: Buffer = prefix;
  if (received.length >= count) {
    return Promise.resolve(received.toString('utf8'));
  }
  const done = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= count) {
        socket.off('data', onData);
        socket.off('close', onClose);
        resolve(received.toString('utf8'));
      }
    };
    const onClose = (): void =>
      reject(new Error(`closed after ${JSON.stringify(received.toString())}`));
    socket.on('data', onData);
    socket.once('close', onClose);
  });
  socket.resume();
  return done;
};

/** Writes `text` and reads back as many bytes (an echo). */
export const echoRoundTrip = (socket: Socket, text: string): Promise<string> => {
  const reply = readBytes(socket, Buffer.byteLength(text));
  socket.write(text);
  return reply;
};
