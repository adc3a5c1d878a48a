// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/http-vsock.bench.ts` (from packages/ext-http-vsock).
// The latency of `POST /ping` to the fake guest's HTTP service (vsock port 8000) through a
// VsockDispatcher, against the same request written by hand on a raw vsock connection to the same
// fake (a hand-written `CONNECT 8000\n` / `OK …\n` handshake, then HTTP/1.1 keep-alive),
// alternating request by request so that all see the same machine load. The dispatcher is
// measured at its own level (`dispatch` with a handler that takes the body, as the raw side does:
// the target), and through undici's `request` API and vsockFetch (their streams and promises on
// top, for information).

import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { VsockDispatcher, vsockFetch } from '@kindling/ext-http-vsock';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import { Vm } from '@kindling/vm';
import { VmmInstallation } from '@kindling/vmm-core';
import { recordFigure, sampleCount, timeOnce } from '../../../tooling/bench-stats.ts';

const SAMPLES = sampleCount(2_000, 300);
const WARMUP = sampleCount(300, 100);
const HTTP_PORT = 8000;
const BODY = JSON.stringify({ a: 6, b: 7 });

const HEADER_END = '\r\n\r\n';

/** A raw vsock connection: the handshake by hand, then `POST /ping` written by hand. */
const openRawConnection = async (udsPath: string, port: number) => {
  const socket = net.connect(udsPath);
  await once(socket, 'connect');
  socket.write(`CONNECT ${port}\n`);
  let buffer = Buffer.alloc(0);
  let pending: (() => void) | undefined;
  let handshaken: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => {
    handshaken = resolve;
  });
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (handshaken !== undefined) {
      const newline = buffer.indexOf(0x0a);
      if (newline === -1) {
        return;
      }
      if (!buffer.subarray(0, newline).toString('latin1').startsWith('OK ')) {
        throw new Error(`no OK from Firecracker: ${buffer.toString('latin1')}`);
      }
      buffer = buffer.subarray(newline + 1);
      handshaken();
      handshaken = undefined;
      return;
    }
    const end = buffer.indexOf(HEADER_END);
    if (end === -1) {
      return;
    }
    const head = buffer.subarray(0, end).toString('latin1');
    const length = Number(/content-length:\s*(\d+)/iu.exec(head)?.[1] ?? '0');
    if (buffer.length >= end + HEADER_END.length + length) {
      buffer = buffer.subarray(end + HEADER_END.length + length);
      pending?.();
    }
  });
  await ready;
  const request = Buffer.from(
    `POST /ping HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`,
    'latin1',
  );
  return {
    ping: () =>
      new Promise<void>((resolve) => {
        pending = resolve;
        socket.write(request);
      }),
    close: () => socket.destroy(),
  };
};

const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-bench-http-vsock-'));
try {
  const udsPath = path.join(dir, 'vm', 'v.sock');
  await using vm = await Vm.prepare({
    installation: new VmmInstallation(await createFakeInstallation(path.join(dir, 'bin'))),
    configuration: {
      bootSource: {
        kernel_image_path: await writeFakeKernel(path.join(dir, 'vmlinux')),
        boot_args: 'console=ttyS0 reboot=k',
      },
      machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
      vsock: { guest_cid: 3, uds_path: udsPath },
    },
    stateDir: false,
  });
  await vm.start();
  await vm.waitForSerialLine('kindling-fake-guest: ready', { timeoutMs: 20_000 });

  await using dispatcher = new VsockDispatcher(vm, HTTP_PORT);
  const raw = await openRawConnection(vm.resolveEffectivePath(udsPath), HTTP_PORT);
  // The dispatcher itself: the body is taken chunk by chunk, as the raw connection takes it.
  const viaDispatch = () =>
    new Promise<void>((resolve, reject) => {
      dispatcher.dispatch(
        {
          method: 'POST',
          path: '/ping',
          headers: { 'content-type': 'application/json' },
          body: BODY,
        },
        {
          onResponseData: () => {},
          onResponseEnd: () => resolve(),
          onResponseError: (_controller, error) => reject(error),
        },
      );
    });
  const viaRequest = async () => {
    const { body } = await dispatcher.request({
      method: 'POST',
      path: '/ping',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    });
    await body.text();
  };
  const viaFetch = async () => {
    const response = await vsockFetch(vm, HTTP_PORT, '/ping', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    });
    await response.text();
  };
  const runs = { raw: raw.ping, dispatch: viaDispatch, request: viaRequest, fetch: viaFetch };
  const samples = {
    raw: [] as number[],
    dispatch: [] as number[],
    request: [] as number[],
    fetch: [] as number[],
  };
  try {
    for (let index = 0; index < WARMUP; index += 1) {
      for (const run of Object.values(runs)) {
        await run();
      }
    }
    for (let index = 0; index < SAMPLES; index += 1) {
      for (const [name, run] of Object.entries(runs)) {
        samples[name as keyof typeof runs].push(await timeOnce(run));
      }
    }
  } finally {
    raw.close();
  }
  const RAW = 'hand-written handshake + raw HTTP/1.1';
  recordFigure({
    name: 'ext-http-vsock: POST /ping, VsockDispatcher.dispatch',
    unit: 'ms',
    samples: samples.dispatch,
    baseline: samples.raw,
    baselineName: RAW,
    target: { ratio: 1.3 },
  });
  // For information: undici's API layers on top of the dispatcher.
  recordFigure({
    name: "ext-http-vsock: POST /ping, undici's request() on the dispatcher",
    unit: 'ms',
    samples: samples.request,
    baseline: samples.raw,
    baselineName: RAW,
  });
  recordFigure({
    name: 'ext-http-vsock: POST /ping, vsockFetch',
    unit: 'ms',
    samples: samples.fetch,
    baseline: samples.raw,
    baselineName: RAW,
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
