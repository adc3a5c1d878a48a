// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/server.bench.ts` (from packages/server).
// 1. Create-to-running: POST /v1/vms (start: true) over the server's Unix socket until its 201,
//    against the SDK directly (Vm.prepare + start with the configuration the server builds: the
//    same executor, API socket folder, stdio and metrics FIFO, read by the same exporter), rounds
//    alternating. Target: at most 1.1 × the SDK's median plus one request (the median of GET
//    /v1/health over the same socket, measured in the same run).
// 2. 100 concurrent creates: 100 POST /v1/vms at once, until all 100 answered 201 (every VM
//    running), then 100 DELETEs; figures: the time to all running, and VMs per second.
// Against fake-vmm (no KVM).

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import { Agent, request } from 'undici';
import { quantile, recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';
import { startServer } from '../dist/index.js';
import { createSdkBaseline } from './sdk-baseline.ts';

const ROUNDS = sampleCount(30, 5);
const WARMUP = sampleCount(3, 1);
const CONCURRENT = 100;
const CONCURRENT_RUNS = sampleCount(3, 1);

const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-bench-server-'));
try {
  const bin = await createFakeInstallation(path.join(dir, 'bin'));
  const imagesDir = path.join(dir, 'images');
  const stateDir = path.join(dir, 'state');
  const sdkDir = path.join(dir, 'sdk');
  await mkdir(imagesDir);
  await mkdir(sdkDir);
  const kernel = await writeFakeKernel(path.join(imagesDir, 'vmlinux'));
  const installation = {
    firecrackerPath: bin.firecrackerPath,
    jailerPath: bin.jailerPath,
    snapshotEditorPath: bin.snapshotEditorPath,
  };
  const configuration = {
    bootSource: { kernel_image_path: kernel, boot_args: 'console=ttyS0' },
    machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
  };
  const server = await startServer({ imagesDir, stateDir, installation });
  const dispatcher = new Agent({
    connect: { socketPath: server.config.socketPath },
    connections: CONCURRENT,
  });
  const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) => {
    const answer = await request(`http://localhost${url}`, {
      method,
      dispatcher,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await answer.body.text();
    if (answer.statusCode >= 300) {
      throw new Error(`${method} ${url}: ${answer.statusCode} ${text}`);
    }
  };

  const viaServer = async (id: string): Promise<number> => {
    const started = performance.now();
    await call('POST', '/v1/vms', { id, source: { kind: 'config', configuration } });
    const took = performance.now() - started;
    await call('DELETE', `/v1/vms/${id}`);
    return took;
  };

  const startWithSdk = createSdkBaseline(sdkDir, installation, configuration);
  const viaSdk = async (id: string): Promise<number> => {
    const started = performance.now();
    const vm = await startWithSdk(id);
    await vm.remove();
    return vm.runningAt - started;
  };

  const serverSamples: number[] = [];
  const sdkSamples: number[] = [];
  const requestSamples: number[] = [];
  for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
    const throughServer = await viaServer(`server-${round}`);
    const sdk = await viaSdk(`sdk-${round}`);
    const started = performance.now();
    await call('GET', '/v1/health');
    const oneRequest = performance.now() - started;
    if (round >= WARMUP) {
      serverSamples.push(throughServer);
      sdkSamples.push(sdk);
      requestSamples.push(oneRequest);
    }
  }
  const requestMedian = quantile(requestSamples, 0.5);
  recordFigure({
    name: 'server: one request (GET /v1/health over the Unix socket)',
    unit: 'ms',
    samples: requestSamples,
  });
  recordFigure({
    name: 'server: create-to-running, POST /v1/vms vs Vm.prepare + start',
    unit: 'ms',
    samples: serverSamples,
    baseline: sdkSamples,
    baselineName: 'the SDK directly',
    // 1.1 × the SDK plus one request, as a bound in ms (the request measured in this run).
    target: { max: 1.1 * quantile(sdkSamples, 0.5) + requestMedian },
  });

  const allRunning: number[] = [];
  const sdkAllRunning: number[] = [];
  const rates: number[] = [];
  for (let run = 0; run < CONCURRENT_RUNS; run += 1) {
    const ids = Array.from({ length: CONCURRENT }, (_, n) => `many-${run}-${n}`);
    const started = performance.now();
    await Promise.all(
      ids.map((id) => call('POST', '/v1/vms', { id, source: { kind: 'config', configuration } })),
    );
    const took = performance.now() - started;
    allRunning.push(took);
    rates.push(CONCURRENT / (took / 1000));
    await Promise.all(ids.map((id) => call('DELETE', `/v1/vms/${id}`)));
    // The same 100 with the SDK alone, for what the host itself allows.
    const sdkStarted = performance.now();
    const vms = await Promise.all(ids.map((id) => startWithSdk(`sdk-${id}`)));
    sdkAllRunning.push(performance.now() - sdkStarted);
    await Promise.all(vms.map((vm) => vm.remove()));
  }
  recordFigure({
    name: `server: ${CONCURRENT} concurrent creates, until all running`,
    unit: 'ms',
    samples: allRunning,
    baseline: sdkAllRunning,
    baselineName: `${CONCURRENT} Vm.prepare + start at once`,
  });
  recordFigure({ name: `server: ${CONCURRENT} concurrent creates`, unit: 'VMs/s', samples: rates });

  await dispatcher.close();
  await server.close({ shutdownVms: true });
} finally {
  await rm(dir, { recursive: true, force: true });
}
