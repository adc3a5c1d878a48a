// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import path from 'node:path';
import { createTempFolder, type TempFolder } from '@kindling/test-utils';

/** What the stand-in saw of one request. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/**
 * What the stand-in answers a request with: a status with a JSON or text body, nothing ever
 * (a hung server), or an event stream it holds open in `streams` for the test to write to.
 */
export type ScriptedAnswer =
  | { readonly status: number; readonly json?: unknown; readonly text?: string }
  | 'silent'
  | 'stream';

/** Answers by `METHOD /path`, or `*` for any other request. */
export type Script = Readonly<Record<string, ScriptedAnswer>>;

/**
 * An HTTP server answering as a test scripts it, for what the real server never does on demand
 * (stay silent, answer what is not JSON): on a Unix socket, or on TCP with TLS.
 */
export interface StandInServer extends AsyncDisposable {
  /** What to give `options.server`. */
  readonly server: string;
  readonly seen: SeenRequest[];
  /** The event streams held open, in the order they were opened. */
  readonly streams: ServerResponse[];
}

type Handler = (request: SeenRequest, response: ServerResponse) => void;

const NOT_SCRIPTED: ScriptedAnswer = { status: 500, text: 'not scripted' };

const answerScripted =
  (script: Script, streams: ServerResponse[]): Handler =>
  (request, response) => {
    const answer = script[`${request.method} ${request.url}`] ?? script['*'] ?? NOT_SCRIPTED;
    if (answer === 'silent') {
      return;
    }
    if (answer === 'stream') {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(': subscribed\n\n');
      streams.push(response);
      return;
    }
    if (answer.json !== undefined) {
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.json));
      return;
    }
    response.writeHead(answer.status, { 'content-type': 'text/plain' });
    response.end(answer.text);
  };

const listen = async (
  server: Server,
  handler: Handler,
  seen: SeenRequest[],
  at: string | number,
): Promise<void> => {
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(entry);
      handler(entry, response);
    });
  });
  server.listen(at);
  await once(server, 'listening');
};

const stop = async (server: Server, folder?: TempFolder): Promise<void> => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
  await folder?.[Symbol.asyncDispose]();
};

/** Starts a stand-in on a Unix socket in a fresh temporary folder. */
export const startUnixStandIn = async (script: Script): Promise<StandInServer> => {
  const folder = await createTempFolder('kindling-client-');
  const socketPath = path.join(folder.path, 'server.sock');
  const server = createServer();
  const seen: SeenRequest[] = [];
  const streams: ServerResponse[] = [];
  await listen(server, answerScripted(script, streams), seen, socketPath);
  return { server: socketPath, seen, streams, [Symbol.asyncDispose]: () => stop(server, folder) };
};

/** Starts a stand-in on 127.0.0.1 with TLS, with the given certificate and key (PEM). */
export const startTlsStandIn = async (
  tls: { readonly cert: string; readonly key: string },
  script: Script,
): Promise<StandInServer> => {
  const server = createTlsServer(tls);
  const seen: SeenRequest[] = [];
  const streams: ServerResponse[] = [];
  await listen(server, answerScripted(script, streams), seen, 0);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    server: `https://localhost:${port}`,
    seen,
    streams,
    [Symbol.asyncDispose]: () => stop(server),
  };
};

/** Everything an async iterable yields, in order. */
export const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const item of items) {
    all.push(item);
  }
  return all;
};

/** The body of the `index`th request the stand-in saw, parsed as JSON. */
export const seenJson = (stand: StandInServer, index: number): unknown =>
  JSON.parse(stand.seen[index]?.body ?? 'null');
