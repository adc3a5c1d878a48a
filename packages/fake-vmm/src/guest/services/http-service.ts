// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

const sendJson = (response: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
};

// The guest agent of fctools' tests: POST /ping {a,b} → {c: a*b}; also GET / (who am I) and
// POST /echo (the body back, same content type).
const handle = async (
  port: number,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> => {
  const body = await readBody(request);
  if (request.method === 'GET' && request.url === '/') {
    sendJson(response, 200, { service: 'kindling-fake-guest', port });
    return;
  }
  if (request.method === 'POST' && request.url === '/echo') {
    response.writeHead(200, {
      'content-type': request.headers['content-type'] ?? 'application/octet-stream',
      'content-length': body.length,
    });
    response.end(body);
    return;
  }
  if (request.method === 'POST' && request.url === '/ping') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const { a, b } = (parsed ?? {}) as { a?: unknown; b?: unknown };
    if (typeof a !== 'number' || typeof b !== 'number') {
      sendJson(response, 400, { error: 'expected a JSON body {"a": number, "b": number}' });
      return;
    }
    sendJson(response, 200, { c: a * b });
    return;
  }
  sendJson(response, 404, { error: `no route ${request.method} ${request.url}` });
};

/** An HTTP/1.1 guest agent serving connections handed to it. */
export const createHttpService = (
  port: number,
): { serve: (socket: Duplex) => void; close: () => void } => {
  const server = createServer((request, response) => {
    handle(port, request, response).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  return {
    serve: (socket) => {
      server.emit('connection', socket);
    },
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  };
};
