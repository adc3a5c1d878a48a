// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { connect, type ClientHttp2Session } from 'node:http2';
import { Duplex } from 'node:stream';
import { encodeGrpcFrame, GrpcFrameReader } from '../../src/guest/services/grpc-frames.js';
import { decodeTextMessage, encodeTextMessage } from '../../src/guest/services/text-message.js';
import type { VsockHandshake } from './vsock-client.js';

/** The replies and `grpc-status` of one call. */
export interface GrpcCallResult {
  readonly replies: readonly string[];
  readonly status: unknown;
}

/** An HTTP/2 session over a vsock connection whose handshake is done. */
export const openGrpcSession = ({ socket, rest }: VsockHandshake): ClientHttp2Session => {
  // The guest's HTTP/2 SETTINGS may arrive with the OK line: replay them through a plain duplex.
  socket.unshift(rest);
  const duplex = Duplex.from({ readable: socket, writable: socket });
  const session = connect('http://guest', { createConnection: () => duplex });
  session.on('error', () => session.destroy());
  return session;
};

/** Calls a `kindling.fake.GuestAgent` method with `Text` requests and collects the replies. */
export const callGuestAgent = async (
  session: ClientHttp2Session,
  method: string,
  texts: readonly string[],
): Promise<GrpcCallResult> => {
  const call = session.request({
    ':method': 'POST',
    ':path': `/kindling.fake.GuestAgent/${method}`,
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  const reader = new GrpcFrameReader();
  const replies: string[] = [];
  call.on('data', (chunk: Buffer) => {
    for (const message of reader.push(chunk)) {
      replies.push(decodeTextMessage(message));
    }
  });
  const trailers = once(call, 'trailers') as Promise<[Record<string, unknown>]>;
  for (const text of texts) {
    call.write(encodeGrpcFrame(encodeTextMessage(text)));
  }
  call.end();
  await once(call, 'end');
  const [headers] = await trailers;
  return { replies, status: headers['grpc-status'] };
};
