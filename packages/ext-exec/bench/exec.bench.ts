// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/exec.bench.ts` (from packages/ext-exec).
// Against the fake guest (its exec agent on vsock port 10000, its echo service on port 5000):
// - the round trip of exec(vm, ['true']) over the shared session, against Node spawning `true`
//   locally (pipes for stdin, stdout and stderr, as execFile) plus one raw vsock round trip (a byte to the echo service and back, on a connection
//   opened once by hand): what the agent adds beyond the two must stay under 1.5×;
// - one new connection per command (connect, HELLO both ways, exec, close) against one
//   multiplexed session, one command at a time and 50 at once: the figures behind the protocol's
//   choice of many streams per connection;
// - push and pull of 100 MB, in MB/s, against a raw vsock copy of the same bytes (written to the
//   echo service and read back on a connection opened by hand).
// Samples alternate between Kindling and its baseline, so that both see the same machine load.

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec, openExecSession, pull, push } from '@kindling/ext-exec';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import { Vm } from '@kindling/vm';
import { VmmInstallation } from '@kindling/vmm-core';
import { recordFigure, sampleCount, timeOnce } from '../../../tooling/bench-stats.ts';

const SAMPLES = sampleCount(300, 60);
const WARMUP = sampleCount(30, 10);
const TRANSFERS = sampleCount(5, 2);
const BURSTS = sampleCount(20, 5);
const ECHO_PORT = 5000;
const TRANSFER_BYTES = 100 * 1024 * 1024;
const MB = 1_000_000;

/** A raw vsock connection to the echo service: the handshake by hand, then bytes echoed back. */
const openEcho = async (udsPath: string) => {
  const socket = net.connect(udsPath);
  await new Promise((resolve) => {
    socket.once('connect', resolve);
  });
  socket.write(`CONNECT ${ECHO_PORT}\n`);
  let handshaken = false;
  let waiting = 0;
  let done: (() => void) | undefined;
  const ready = Promise.withResolvers<void>();
  socket.on('data', (chunk: Buffer) => {
    let bytes = chunk.byteLength;
    if (!handshaken) {
      const newline = chunk.indexOf(0x0a);
      if (newline === -1) {
        return;
      }
      handshaken = true;
      bytes -= newline + 1;
      ready.resolve();
    }
    waiting -= bytes;
    if (waiting <= 0 && done !== undefined) {
      const resolve = done;
      done = undefined;
      resolve();
    }
  });
  await ready.promise;
  const send = (payload: Buffer, times: number): Promise<void> =>
    new Promise<void>((resolve) => {
      waiting = payload.byteLength * times;
      done = resolve;
      writeTimes(socket, payload, times);
    });
  return { send, close: () => socket.destroy() };
};

// Writes `payload` `times` times, waiting for the socket to drain when it is full.
const writeTimes = (socket: net.Socket, payload: Buffer, times: number): void => {
  for (let left = times; left > 0; left -= 1) {
    if (!socket.write(payload)) {
      socket.once('drain', () => writeTimes(socket, payload, left - 1));
      return;
    }
  }
};

// Node's spawn as a command runner uses it (execFile's way): stdin, stdout and stderr piped, done
// when the process has exited and its pipes have closed. The agent spawns the same way.
const spawnTrue = (): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const child = spawn('true');
    child.once('error', reject);
    child.once('close', () => resolve());
  });

const dir = await mkdtemp(path.join(tmpdir(), 'kindling-bench-ext-exec-'));
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
  const echo = await openEcho(vm.resolveEffectivePath(udsPath));
  const oneByte = Buffer.from([42]);
  try {
    const runs = {
      exec: () => exec(vm, ['true']),
      baseline: async () => {
        await spawnTrue();
        await echo.send(oneByte, 1);
      },
      perConnection: async () => {
        await using session = openExecSession(vm);
        await session.exec(['true']);
      },
    };
    const samples = {
      exec: [] as number[],
      baseline: [] as number[],
      perConnection: [] as number[],
    };
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
    recordFigure({
      name: "ext-exec: exec(vm, ['true']) round trip on the fake",
      unit: 'ms',
      samples: samples.exec,
      baseline: samples.baseline,
      baselineName: "Node spawning 'true' locally (piped stdio) + one raw vsock round trip",
      target: { ratio: 1.5 },
    });
    recordFigure({
      name: "ext-exec: exec(['true']) on a new connection each (connect + HELLO + exec + close)",
      unit: 'ms',
      samples: samples.perConnection,
      baseline: samples.exec,
      baselineName: 'one multiplexed session',
    });

    // 50 commands at once: over the shared session's one connection, or 50 connections.
    const burst = { shared: [] as number[], perConnection: [] as number[] };
    const fifty = Array.from({ length: 50 }, (_, index) => index);
    for (let index = 0; index < BURSTS; index += 1) {
      burst.shared.push(await timeOnce(() => Promise.all(fifty.map(() => exec(vm, ['true'])))));
      burst.perConnection.push(
        await timeOnce(() =>
          Promise.all(
            fifty.map(async () => {
              await using session = openExecSession(vm);
              await session.exec(['true']);
            }),
          ),
        ),
      );
    }
    recordFigure({
      name: "ext-exec: 50 exec(['true']) at once, a new connection each",
      unit: 'ms',
      samples: burst.perConnection,
      baseline: burst.shared,
      baselineName: 'one multiplexed session',
    });

    // 100 MB each way, from a file of random bytes (not compressible, not sparse).
    const source = path.join(dir, 'blob');
    const chunk = Buffer.alloc(1024 * 1024);
    for (let index = 0; index < chunk.length; index += 4) {
      chunk.writeUInt32LE((Math.random() * 0xff_ff_ff_ff) >>> 0, index);
    }
    await writeFile(
      source,
      Buffer.concat(Array.from({ length: TRANSFER_BYTES / chunk.length }, () => chunk)),
    );
    const pulled = path.join(dir, 'pulled');
    const rates = { push: [] as number[], pull: [] as number[], raw: [] as number[] };
    const rate = (ms: number): number => TRANSFER_BYTES / MB / (ms / 1000);
    const payload = Buffer.alloc(64 * 1024, 7);
    for (let index = 0; index < TRANSFERS; index += 1) {
      rates.raw.push(
        rate(await timeOnce(() => echo.send(payload, TRANSFER_BYTES / payload.length))),
      );
      rates.push.push(rate(await timeOnce(() => push(vm, source, 'bench/blob'))));
      rates.pull.push(rate(await timeOnce(() => pull(vm, 'bench/blob', pulled))));
    }
    recordFigure({
      name: 'ext-exec: push of 100 MB (one file)',
      unit: 'MB/s',
      samples: rates.push,
      baseline: rates.raw,
      baselineName: 'raw vsock copy of 100 MB to the echo service and back',
    });
    recordFigure({
      name: 'ext-exec: pull of 100 MB (one file)',
      unit: 'MB/s',
      samples: rates.pull,
      baseline: rates.raw,
      baselineName: 'raw vsock copy of 100 MB to the echo service and back',
    });
  } finally {
    echo.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
