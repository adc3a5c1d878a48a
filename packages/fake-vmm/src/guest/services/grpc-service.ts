// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createServer, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import type { Duplex } from 'node:stream';
import { encodeGrpcFrame, GrpcFrameReader } from './grpc-frames.js';
import { decodeTextMessage, encodeTextMessage } from './text-message.js';

/** The service path prefix of the guest agent: `package kindling.fake; service GuestAgent`. */
export const GRPC_SERVICE_PATH = '/kindling.fake.GuestAgent';

const GRPC_OK = 0;
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_UNIMPLEMENTED = 12;

interface Call {
  readonly send: (text: string) => void;
  readonly finish: (status: number, message?: string) => void;
}

const startCall = (stream: ServerHttp2Stream): Call => {
  let trailers: Record<string, string> = { 'grpc-status': String(GRPC_OK) };
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.once('wantTrailers', () => stream.sendTrailers(trailers));
  return {
    send: (text) => {
      stream.write(encodeGrpcFrame(encodeTextMessage(text)));
    },
    finish: (status, message) => {
      trailers =
        message === undefined
          ? { 'grpc-status': String(status) }
          : { 'grpc-status': String(status), 'grpc-message': encodeURIComponent(message) };
      stream.end();
    },
  };
};

// Each method reads `Text` requests and answers `Text` replies:
// Unary echoes; ClientStreaming joins the texts with ","; ServerStreaming sends "pong 1".."pong n"
// for a request text n; DuplexStreaming echoes each message as it arrives.
const handleStream = (stream: ServerHttp2Stream, path: string): void => {
  const reader = new GrpcFrameReader();
  const received: string[] = [];
  const method = path.startsWith(`${GRPC_SERVICE_PATH}/`)
    ? path.slice(GRPC_SERVICE_PATH.length + 1)
    : '';
  if (!['Unary', 'ClientStreaming', 'ServerStreaming', 'DuplexStreaming'].includes(method)) {
    stream.resume();
    startCall(stream).finish(GRPC_UNIMPLEMENTED, `unknown method ${path}`);
    return;
  }
  const call = startCall(stream);
  stream.on('data', (chunk: Buffer) => {
    for (const message of reader.push(chunk)) {
      const text = decodeTextMessage(message);
      if (method === 'DuplexStreaming') {
        call.send(text);
      } else {
        received.push(text);
      }
    }
  });
  stream.on('end', () => {
    switch (method) {
      case 'Unary':
        call.send(received[0] ?? '');
        call.finish(GRPC_OK);
        return;
      case 'ClientStreaming':
        call.send(received.join(','));
        call.finish(GRPC_OK);
        return;
      case 'ServerStreaming': {
        const count = Number(received[0] ?? '');
        if (!Number.isSafeInteger(count) || count < 0) {
          call.finish(GRPC_INVALID_ARGUMENT, 'ServerStreaming expects a count as its text');
          return;
        }
        for (let index = 1; index <= count; index += 1) {
          call.send(`pong ${index}`);
        }
        call.finish(GRPC_OK);
        return;
      }
      default:
        call.finish(GRPC_OK);
    }
  });
  stream.on('error', () => stream.destroy());
};

/** A gRPC (HTTP/2 without TLS) guest agent serving connections handed to it. */
export const createGrpcService = (): { serve: (socket: Duplex) => void; close: () => void } => {
  const server: Http2Server = createServer();
  server.on('stream', (stream, headers) => handleStream(stream, headers[':path'] ?? ''));
  server.on('sessionError', (_error, session) => session.destroy());
  return {
    serve: (socket) => {
      server.emit('connection', socket);
    },
    close: () => {
      server.close();
    },
  };
};
