// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/protocol.bench.ts` (from packages/exec-agent).
// The figures that chose the wire protocol (PROTOCOL.md): an agent on a Unix socket (what socat
// hands it in a guest, and what fake-vmm's vsock device is built on), asked to run `true`
// 1. one exec at a time: on one multiplexed connection, against a new connection per exec
//    (connect, HELLO both ways, one stream): the per-exec cost of each choice;
// 2. 50 execs at once: on one connection, against 50 connections;
// 3. 100 MB pulled as a tar, against the same file copied raw over a Unix socket (MB/s).

import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startExecAgent } from '@kindling/exec-agent';
import {
  FrameType,
  Multiplexer,
  PROTOCOL_VERSION,
  type OpenRequest,
} from '@kindling/exec-agent/protocol';
import { recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';

const SEQUENTIAL_RUNS = sampleCount(200, 40);
const CONCURRENT_RUNS = sampleCount(20, 5);
const CONCURRENCY = 50;
const PULL_RUNS = sampleCount(5, 2);
const PULL_BYTES = 100 * 1024 * 1024;

const connect = async (address: string): Promise<Multiplexer> => {
  const socket = createConnection(address);
  await once(socket, 'connect');
  const mux = new Multiplexer(socket, {
    role: 'host',
    hello: { protocol: PROTOCOL_VERSION, host: 'bench' },
  });
  await mux.remoteHello;
  return mux;
};

// One request to its end, consuming (and counting) what arrives.
const ask = (mux: Multiplexer, request: OpenRequest): Promise<number> =>
  new Promise((resolve, reject) => {
    let bytes = 0;
    const stream = mux.openStream({
      onFrame: (frame) => {
        if (frame.type === FrameType.EXIT || frame.type === FrameType.RESULT) {
          stream.end();
          resolve(bytes);
        } else if (frame.type === FrameType.ERROR) {
          stream.end();
          reject(new Error(frame.payload.toString()));
        } else if (frame.type !== FrameType.EOF) {
          bytes += frame.payload.byteLength;
          stream.consumed(frame.payload.byteLength);
        }
      },
      onClose: reject,
    });
    stream.sendJson(FrameType.OPEN, request);
    stream.sendEof(FrameType.DATA);
  });

const TRUE: OpenRequest = { op: 'exec', argv: ['true'] };

const onceOnNewConnection = async (address: string): Promise<void> => {
  const mux = await connect(address);
  await ask(mux, TRUE);
  mux.close();
};

const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};

// The raw baseline of a pull: the file's bytes over a Unix socket, nothing else.
const rawCopy = async (file: string, socketPath: string): Promise<number> => {
  const server = createServer((socket) => createReadStream(file).pipe(socket));
  server.listen(socketPath);
  await once(server, 'listening');
  try {
    const socket = createConnection(socketPath);
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.byteLength;
    });
    await once(socket, 'end');
    return bytes;
  } finally {
    server.close();
    await rm(socketPath, { force: true });
  }
};

const folder = await mkdtemp(path.join(os.tmpdir(), 'kindling-exec-agent-bench-'));
try {
  const root = path.join(folder, 'root');
  await mkdir(root);
  await using agent = await startExecAgent({ listen: path.join(folder, 'agent.sock'), root });
  const shared = await connect(agent.address);
  for (let warm = 0; warm < 10; warm += 1) {
    await ask(shared, TRUE);
    await onceOnNewConnection(agent.address);
  }

  const multiplexed: number[] = [];
  const perConnection: number[] = [];
  for (let run = 0; run < SEQUENTIAL_RUNS; run += 1) {
    multiplexed.push(await timed(() => ask(shared, TRUE)));
    perConnection.push(await timed(() => onceOnNewConnection(agent.address)));
  }
  recordFigure({
    name: 'exec-agent: exec `true`, one multiplexed connection',
    unit: 'ms',
    samples: multiplexed,
    baseline: perConnection,
    baselineName: 'a new connection per exec',
  });

  const together: number[] = [];
  const apart: number[] = [];
  for (let run = 0; run < CONCURRENT_RUNS; run += 1) {
    together.push(
      await timed(() => Promise.all(Array.from({ length: CONCURRENCY }, () => ask(shared, TRUE)))),
    );
    apart.push(
      await timed(() =>
        Promise.all(Array.from({ length: CONCURRENCY }, () => onceOnNewConnection(agent.address))),
      ),
    );
  }
  recordFigure({
    name: `exec-agent: ${CONCURRENCY} execs of \`true\` at once, one connection`,
    unit: 'ms',
    samples: together,
    baseline: apart,
    baselineName: `${CONCURRENCY} connections`,
  });

  await writeFile(path.join(root, 'big'), Buffer.alloc(PULL_BYTES, 7));
  const pulled: number[] = [];
  const raw: number[] = [];
  for (let run = 0; run < PULL_RUNS; run += 1) {
    let bytes = 0;
    pulled.push(
      PULL_BYTES /
        1e6 /
        ((await timed(async () => (bytes = await ask(shared, { op: 'pull', path: '/big' })))) /
          1000),
    );
    if (bytes < PULL_BYTES) {
      throw new Error(`pulled ${bytes} bytes of ${PULL_BYTES}`);
    }
    raw.push(
      PULL_BYTES /
        1e6 /
        ((await timed(() => rawCopy(path.join(root, 'big'), path.join(folder, 'raw.sock')))) /
          1000),
    );
  }
  recordFigure({
    name: 'exec-agent: pull of 100 MB (tar, flow-controlled)',
    unit: 'MB/s',
    samples: pulled,
    baseline: raw,
    baselineName: 'the file raw over a Unix socket',
  });
  shared.close();
} finally {
  await rm(folder, { recursive: true, force: true });
}
