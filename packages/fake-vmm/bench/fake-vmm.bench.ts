// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run by Node directly (`node bench/fake-vmm.bench.ts`) after a build: it imports the built
// package by its own name and Node's builtins only, and prints one line per measurement.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type FSWatcher, watch } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFakeInstallation, startFakeFirecracker } from '@kindling/fake-vmm';
import { recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';

const ROUND_TRIPS = sampleCount(2000, 300);
const WARMUP_ROUND_TRIPS = 200;
const SPAWNS = sampleCount(20, 8);
const JAILED_SPAWNS = sampleCount(10, 4);
const SPAWN_TIMEOUT_MS = 10_000;

const report = (name: string, samples: readonly number[]): void => {
  recordFigure({ name: `fake-vmm: ${name}`, unit: 'ms', samples });
};

// One raw keep-alive HTTP/1.1 connection, one request at a time, as Firecracker serves them.
class RawClient {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #waiter: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#waiter?.();
    });
  }

  static async connect(socketPath: string): Promise<RawClient> {
    const socket = createConnection(socketPath);
    await once(socket, 'connect');
    return new RawClient(socket);
  }

  // Resolves with the status once a whole response (headers and Content-Length body) is read.
  async get(target: string): Promise<number> {
    this.#socket.write(`GET ${target} HTTP/1.1\r\nAccept: application/json\r\n\r\n`);
    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd !== -1) {
        const head = this.#buffer.toString('latin1', 0, headerEnd);
        const length = Number(/content-length:\s*(\d+)/iu.exec(head)?.[1] ?? '0');
        const total = headerEnd + 4 + length;
        if (this.#buffer.length >= total) {
          this.#buffer = this.#buffer.subarray(total);
          return Number(head.split(' ')[1]);
        }
      }
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
      this.#waiter = undefined;
    }
  }

  close(): void {
    this.#socket.destroy();
  }
}

const measureRoundTrips = async (): Promise<number[]> => {
  await using fake = await startFakeFirecracker();
  const client = await RawClient.connect(fake.socketPath);
  try {
    const samples: number[] = [];
    for (let index = 0; index < WARMUP_ROUND_TRIPS + ROUND_TRIPS; index += 1) {
      const started = performance.now();
      const status = await client.get('/');
      const elapsed = performance.now() - started;
      if (status !== 200) {
        throw new Error(`GET / answered ${status}`);
      }
      if (index >= WARMUP_ROUND_TRIPS) {
        samples.push(elapsed);
      }
    }
    return samples;
  } finally {
    client.close();
  }
};

const canConnect = (socketPath: string): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

// Retries on every change in the socket's folder, and every millisecond as the fallback.
const waitForSocket = async (socketPath: string, signal: AbortSignal): Promise<void> => {
  const watcher: FSWatcher = watch(path.dirname(socketPath), { persistent: false });
  try {
    while (!(await canConnect(socketPath))) {
      signal.throwIfAborted();
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          watcher.off('change', done);
          resolve();
        };
        const timer = setTimeout(done, 1);
        watcher.on('change', done);
      });
    }
  } finally {
    watcher.close();
  }
};

const measureSpawns = async (): Promise<number[]> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'kindling-fake-bench-'));
  try {
    const installation = await createFakeInstallation(path.join(dir, 'bin'));
    const samples: number[] = [];
    for (let index = 0; index < SPAWNS; index += 1) {
      const socketPath = path.join(dir, `api-${index}.socket`);
      const started = performance.now();
      const child = spawn(installation.firecrackerPath, ['--api-sock', socketPath], {
        stdio: 'ignore',
      });
      try {
        await waitForSocket(socketPath, AbortSignal.timeout(SPAWN_TIMEOUT_MS));
        samples.push(performance.now() - started);
      } finally {
        child.kill('SIGKILL');
        if (child.exitCode === null && child.signalCode === null) {
          await once(child, 'exit');
        }
      }
    }
    return samples;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

const measureJailedStarts = async (): Promise<number[]> => {
  const samples: number[] = [];
  for (let index = 0; index < JAILED_SPAWNS; index += 1) {
    const started = performance.now();
    const fake = await startFakeFirecracker({ jailer: true });
    samples.push(performance.now() - started);
    await fake.stop();
  }
  return samples;
};

report('api round trip', await measureRoundTrips());
report('spawn to socket', await measureSpawns());
report('jailed start (startFakeFirecracker)', await measureJailedStarts());
