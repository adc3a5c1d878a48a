// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/process.bench.ts` (from packages/process).
// 1. waitForSocket: the time from the socket appearing (a server calling listen(2) on it) to
//    waitForSocket resolving. The server is in this process, so the moment is known exactly.
// 2. API latency: `GET /` to a fake Firecracker through ApiClient, against the same request
//    written by hand on a raw node:net connection to the same socket, alternating request by
//    request so that both see the same machine load.

import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startFakeFirecracker } from '@kindling/fake-vmm';
import { ApiClient, waitForSocket } from '@kindling/process';
import { RawApi } from '../../../tooling/bench-raw-api.ts';
import { recordFigure, sampleCount, timeOnce } from '../../../tooling/bench-stats.ts';

const SOCKET_SAMPLES = sampleCount(60, 20);
const API_SAMPLES = sampleCount(2_000, 300);
const API_WARMUP = sampleCount(300, 100);

const benchSocketWait = async (): Promise<number[]> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-bench-socket-'));
  const samples: number[] = [];
  try {
    for (let index = 0; index < SOCKET_SAMPLES; index += 1) {
      const socketPath = path.join(dir, `api-${index}.sock`);
      // The watch is armed by the time waitForSocket returns its promise.
      const waiting = waitForSocket({ socketPath, timeoutMs: 5_000 });
      const server = net.createServer((socket) => socket.destroy());
      const appeared = performance.now();
      server.listen(socketPath);
      await waiting;
      samples.push(performance.now() - appeared);
      server.close();
      await once(server, 'close');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return samples;
};

/** One keep-alive connection on which `GET /` is written by hand (tooling/bench-raw-api.ts). */
const openRawConnection = async (socketPath: string) => {
  const socket = net.connect(socketPath);
  await once(socket, 'connect');
  const raw = new RawApi(socket);
  return { get: () => raw.request('GET', '/'), close: () => raw.close() };
};

const benchApi = async (): Promise<{ client: number[]; raw: number[] }> => {
  await using fake = await startFakeFirecracker();
  await using client = new ApiClient({ socketPath: fake.socketPath });
  const raw = await openRawConnection(fake.socketPath);
  const getWithClient = () => client.get('/');
  try {
    for (let index = 0; index < API_WARMUP; index += 1) {
      await getWithClient();
      await raw.get();
    }
    const samples = { client: [] as number[], raw: [] as number[] };
    for (let index = 0; index < API_SAMPLES; index += 1) {
      samples.client.push(await timeOnce(getWithClient));
      samples.raw.push(await timeOnce(raw.get));
    }
    return samples;
  } finally {
    raw.close();
  }
};

recordFigure({
  name: 'process: waitForSocket after the socket appears',
  unit: 'ms',
  samples: await benchSocketWait(),
  target: { max: 1 },
});
const api = await benchApi();
recordFigure({
  name: 'process: GET / via ApiClient',
  unit: 'ms',
  samples: api.client,
  baseline: api.raw,
  baselineName: 'raw node:net',
  target: { ratio: 1.5 },
});
