// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/api-call.bench.ts` (from packages/vm).
// The cost of one typed API call on a running VM against the same request written by hand on a
// raw keep-alive node:net connection to the same API socket (tooling/bench-raw-api.ts, its body
// parsed with JSON.parse): CPU per call (process.cpuUsage over a batch, divided) and the round
// trip, batch by batch, alternating. Calls: vm.getInfo() (GET /) and vm.getMachineConfig()
// (GET /machine-config). Against fake-vmm, or the real Firecracker that KINDLING_* name.

import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Vm } from '@kindling/vm';
import { alternate, measureCpu } from '../../../tooling/bench-lifecycle.ts';
import { RawApi } from '../../../tooling/bench-raw-api.ts';
import { recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';
import { createVmBenchSetup } from './vm-bench-setup.ts';

const BATCHES = sampleCount(40, 10);
const WARMUP = sampleCount(5, 2);
const CALLS_PER_BATCH = 200;
const RAW_NAME = 'hand-written HTTP/1.1 on node:net + JSON.parse';

interface Call {
  readonly name: string;
  readonly path: string;
  typed(vm: Vm): Promise<unknown>;
}

const CALLS: readonly Call[] = [
  { name: 'getInfo (GET /)', path: '/', typed: (vm) => vm.getInfo() },
  {
    name: 'getMachineConfig (GET /machine-config)',
    path: '/machine-config',
    typed: (vm) => vm.getMachineConfig(),
  },
];

await using setup = await createVmBenchSetup('vm-api-call');
const { backend } = setup;
await using vm = await Vm.prepare({
  ...setup.unrestricted(await backend.folder('run'), 'api-call'),
  installation: setup.installation,
  configuration: setup.configuration,
  shutdownActions: [{ method: 'kill' }],
});
await vm.start();
// A second connection of its own: Firecracker serves several (up to ten).
const raw = new RawApi(net.connect(vm.socketPath as string));
try {
  for (const call of CALLS) {
    const cpu = { kindling: [] as number[], baseline: [] as number[] };
    const wall = { kindling: [] as number[], baseline: [] as number[] };
    const rawCall = async (): Promise<unknown> => {
      const answer = await raw.call('GET', call.path);
      return JSON.parse(answer.body) as unknown;
    };
    await alternate(BATCHES, WARMUP, async (side, _index, recorded) => {
      const one = side === 'kindling' ? () => call.typed(vm) : rawCall;
      const started = performance.now();
      const { cpuMs } = await measureCpu(async () => {
        for (let index = 0; index < CALLS_PER_BATCH; index += 1) {
          await one();
        }
      });
      const elapsed = performance.now() - started;
      if (recorded) {
        cpu[side].push((cpuMs * 1000) / CALLS_PER_BATCH);
        wall[side].push((elapsed * 1000) / CALLS_PER_BATCH);
      }
    });
    const label = `vm (${backend.label}): ${call.name}`;
    recordFigure({
      name: `${label}, driver CPU per call`,
      unit: 'µs',
      samples: cpu.kindling,
      baseline: cpu.baseline,
      baselineName: RAW_NAME,
      target: { ratio: 1.3 },
    });
    recordFigure({
      name: `${label}, round trip`,
      unit: 'µs',
      samples: wall.kindling,
      baseline: wall.baseline,
      baselineName: RAW_NAME,
    });
  }
} finally {
  raw.close();
}
