// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/api-call-path.bench.ts` (from packages/process).
// The CPU one typed API call costs this process: `GET /` through ApiClient with the body checked
// by vmm-core's InstanceInfo model (what `vm.getInfo()` sends), against the same request written
// by hand on a raw node:net connection and its body parsed with JSON.parse. Both talk to the same
// fake Firecracker (its own process, so its CPU is not counted), in alternating batches, so that
// both see the same machine load. A sample is the CPU (user + system) per call of one batch.

import { once } from 'node:events';
import net from 'node:net';
import process from 'node:process';
import { startFakeFirecracker } from '@kindling/fake-vmm';
import { ApiClient } from '@kindling/process';
import { instanceInfoSchema, parseWithSchema } from '@kindling/vmm-core';
import { RawApi } from '../../../tooling/bench-raw-api.ts';
import { recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';

const BATCHES = sampleCount(40, 10);
const CALLS_PER_BATCH = 200;
const WARMUP_CALLS = 500;

/** One keep-alive connection on which `GET /` is written by hand (tooling/bench-raw-api.ts). */
const openRawConnection = async (socketPath: string) => {
  const socket = net.connect(socketPath);
  await once(socket, 'connect');
  const raw = new RawApi(socket);
  return {
    get: async (): Promise<unknown> => JSON.parse((await raw.request('GET', '/')).body),
    close: () => raw.close(),
  };
};

/** CPU microseconds per call over one batch of `calls` sequential calls. */
const cpuPerCall = async (call: () => Promise<unknown>, calls: number): Promise<number> => {
  const started = process.cpuUsage();
  for (let index = 0; index < calls; index += 1) {
    await call();
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / calls;
};

await using fake = await startFakeFirecracker();
await using client = new ApiClient({ socketPath: fake.socketPath });
const raw = await openRawConnection(fake.socketPath);
const infoCheck = {
  parse: (value: unknown) => parseWithSchema(instanceInfoSchema, value, 'response'),
};
const typedGet = () => client.get('/', { schema: infoCheck });
try {
  for (let index = 0; index < WARMUP_CALLS; index += 1) {
    await typedGet();
    await raw.get();
  }
  const typed: number[] = [];
  const baseline: number[] = [];
  for (let batch = 0; batch < BATCHES; batch += 1) {
    typed.push(await cpuPerCall(typedGet, CALLS_PER_BATCH));
    baseline.push(await cpuPerCall(raw.get, CALLS_PER_BATCH));
  }
  recordFigure({
    name: 'process: CPU per typed API call (GET / checked as InstanceInfo)',
    unit: 'µs',
    samples: typed,
    baseline,
    baselineName: 'raw node:net GET / + JSON.parse',
    target: { ratio: 1.3 },
  });
} finally {
  raw.close();
}
