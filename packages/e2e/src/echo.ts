// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import type { Socket } from 'node:net';

/** Writes `text` on a vsock connection to an echo, and reads as much back. */
export const echoOver = async (socket: Socket, text: string): Promise<string> => {
  let received = '';
  socket.setEncoding('utf8');
  socket.write(text);
  // A connection from connectVsock comes paused, after its handshake.
  socket.resume();
  while (received.length < text.length) {
    const [chunk] = (await once(socket, 'data')) as [string];
    received += chunk;
  }
  return received;
};
