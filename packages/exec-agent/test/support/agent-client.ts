// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startExecAgent, type RunningExecAgent } from '../../src/index.js';
import {
  FrameType,
  Multiplexer,
  parseErrorMessage,
  parseExit,
  parseJsonPayload,
  PROTOCOL_VERSION,
  type ErrorMessage,
  type ExitMessage,
  type OpenRequest,
} from '../../src/protocol/index.js';

// test-utils sits above fake-vmm, which imports this package: its wait bound, repeated.
export const TEST_WAIT_MS = 20_000;

/** What came back for one request. */
export interface Reply {
  stdout: Buffer;
  stderr: Buffer;
  data: Buffer;
  exit?: ExitMessage;
  result?: unknown;
  error?: ErrorMessage;
  eofs: number[];
}

/** A host end of one connection, with a helper that sends one request and collects its reply. */
export interface TestClient {
  readonly mux: Multiplexer;
  /** Sends `request`, then `input` as DATA and EOF (if given); `during` runs once it is open. */
  request(
    request: OpenRequest,
    input?: AsyncIterable<Uint8Array> | Uint8Array,
    during?: (send: (type: FrameType, value: unknown) => void) => void,
  ): Promise<Reply>;
}

export const connectClient = async (
  address: string,
  protocol = PROTOCOL_VERSION,
): Promise<TestClient> => {
  const socket = createConnection(address);
  await once(socket, 'connect');
  const mux = new Multiplexer(socket, { role: 'host', hello: { protocol, host: 'test' } });
  await mux.remoteHello;
  return {
    mux,
    request: (request, input, during) =>
      new Promise<Reply>((resolve, reject) => {
        const reply: Reply = {
          stdout: Buffer.alloc(0),
          stderr: Buffer.alloc(0),
          data: Buffer.alloc(0),
          eofs: [],
        };
        const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[], data: [] as Buffer[] };
        const finish = (): void => {
          reply.stdout = Buffer.concat(chunks.stdout);
          reply.stderr = Buffer.concat(chunks.stderr);
          reply.data = Buffer.concat(chunks.data);
          stream.end();
          resolve(reply);
        };
        const stream = mux.openStream({
          onFrame: (frame) => {
            const key =
              frame.type === FrameType.STDOUT
                ? 'stdout'
                : frame.type === FrameType.STDERR
                  ? 'stderr'
                  : frame.type === FrameType.DATA
                    ? 'data'
                    : undefined;
            if (key !== undefined) {
              chunks[key].push(Buffer.from(frame.payload));
              stream.consumed(frame.payload.byteLength);
            } else if (frame.type === FrameType.EOF) {
              reply.eofs.push(frame.payload[0] ?? 0);
            } else if (frame.type === FrameType.EXIT) {
              reply.exit = parseExit(parseJsonPayload(frame.payload, 'EXIT'));
              finish();
            } else if (frame.type === FrameType.RESULT) {
              reply.result = parseJsonPayload(frame.payload, 'RESULT');
              finish();
            } else if (frame.type === FrameType.ERROR) {
              reply.error = parseErrorMessage(parseJsonPayload(frame.payload, 'ERROR'));
              finish();
            }
          },
          onClose: reject,
        });
        stream.sendJson(FrameType.OPEN, request);
        during?.((type, value) => stream.sendJson(type, value));
        const send = async (): Promise<void> => {
          if (input instanceof Uint8Array) {
            await stream.write(FrameType.DATA, input);
          } else if (input !== undefined) {
            for await (const chunk of input) {
              await stream.write(FrameType.DATA, chunk);
            }
          }
          stream.sendEof(FrameType.DATA);
        };
        // Input may be refused half-way (a hostile archive): the reply says why.
        send().catch(() => {});
      }),
  };
};

/** An agent on a Unix socket with a private root; disposing stops it and removes both. */
export const startTestAgent = async (
  protocolVersion?: number,
): Promise<{ agent: RunningExecAgent; root: string; address: string } & AsyncDisposable> => {
  const folder = await mkdtemp(path.join(tmpdir(), 'kindling-exec-agent-test-'));
  const root = path.join(folder, 'root');
  await mkdir(root);
  const agent = await startExecAgent({
    listen: path.join(folder, 'agent.sock'),
    root,
    ...(protocolVersion === undefined ? {} : { protocolVersion }),
  });
  return {
    agent,
    root,
    address: agent.address,
    [Symbol.asyncDispose]: async () => {
      await agent.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
};
