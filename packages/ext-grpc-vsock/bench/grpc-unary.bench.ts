// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/grpc-unary.bench.ts` (from packages/ext-grpc-vsock).
// gRPC unary latency to the fake guest's GuestAgent.Unary (guest port 9000) over vsock:
//   warm:  a call on the transport's open HTTP/2 connection;
//   raw:   the same payload echoed on a raw vsock connection to the guest's echo port (5000),
//          alternating call by call with `warm`, so that both see the same machine load: what
//          HTTP/2 and gRPC add over the vsock round trip itself;
//   cold:  a new transport's first call: the vsock handshake, HTTP/2's preface and the call.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@connectrpc/connect';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import { Vm } from '@kindling/vm';
import { VmmInstallation } from '@kindling/vmm-core';
import { createGrpcVsockTransport } from '@kindling/ext-grpc-vsock';
import { quantile, recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';
import { GuestAgent } from '../test/support/guest_pb.ts';

const WARM_SAMPLES = sampleCount(2_000, 300);
const WARMUP = sampleCount(300, 100);
const COLD_SAMPLES = sampleCount(100, 20);
const TEXT = 'kindling bench';

/** Writes `text` on the echo connection and waits for as many bytes back. */
const echoOnce = (socket: Awaited<ReturnType<Vm['connectVsock']>>, text: string): Promise<void> =>
  new Promise((resolve) => {
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received >= text.length) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.write(text);
  });

const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-bench-grpc-'));
try {
  const installation = new VmmInstallation(await createFakeInstallation(path.join(dir, 'bin')));
  const kernel = await writeFakeKernel(path.join(dir, 'vmlinux'));
  await using vm = await Vm.prepare({
    installation,
    configuration: {
      bootSource: { kernel_image_path: kernel, boot_args: 'console=ttyS0 reboot=k' },
      machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
      vsock: { guest_cid: 3, uds_path: path.join(dir, 'vsock', 'v.sock') },
    },
    stateDir: false,
  });
  await vm.start();
  await vm.waitForSerialLine('kindling-fake-guest: ready', { timeoutMs: 20_000 });

  using transport = createGrpcVsockTransport(vm, 9000);
  const client = createClient(GuestAgent, transport);
  const echo = await vm.connectVsock(5000);
  echo.resume();
  for (let index = 0; index < WARMUP; index += 1) {
    await client.unary({ text: TEXT });
    await echoOnce(echo, TEXT);
  }
  const warm: number[] = [];
  const raw: number[] = [];
  for (let index = 0; index < WARM_SAMPLES; index += 1) {
    let start = performance.now();
    await client.unary({ text: TEXT });
    warm.push(performance.now() - start);
    start = performance.now();
    await echoOnce(echo, TEXT);
    raw.push(performance.now() - start);
  }
  echo.destroy();

  const cold: number[] = [];
  for (let index = 0; index < COLD_SAMPLES; index += 1) {
    const start = performance.now();
    using fresh = createGrpcVsockTransport(vm, 9000);
    await createClient(GuestAgent, fresh).unary({ text: TEXT });
    cold.push(performance.now() - start);
  }

  recordFigure({
    name: 'ext-grpc-vsock: unary, warm connection',
    unit: 'ms',
    samples: warm,
    baseline: raw,
    baselineName: 'raw vsock echo round trip',
  });
  console.log(
    `ext-grpc-vsock: gRPC over the raw round trip: median +${(quantile(warm, 0.5) - quantile(raw, 0.5)).toFixed(3)} ms, p99 ${quantile(warm, 0.99).toFixed(3)} ms against ${quantile(raw, 0.99).toFixed(3)} ms`,
  );
  recordFigure({
    name: 'ext-grpc-vsock: unary, new connection (handshake + preface + call)',
    unit: 'ms',
    samples: cold,
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
