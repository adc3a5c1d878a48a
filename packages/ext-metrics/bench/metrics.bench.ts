// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/metrics.bench.ts` (from packages/ext-metrics).
// 1. Parse rate: records per second that readMetrics yields from a file of Firecracker-sized
//    lines (every v1.16.1 group, plus a drive's and an interface's own), read whole.
// 2. Event-loop lag while reading 100 FIFOs, each written by a "Firecracker" (one child process
//    playing all 100, writing as Firecracker does: O_RDWR|O_NONBLOCK, one line per flush) at
//    Firecracker's rate (a line every 60 s per VM, staggered), then at 60 times that rate. The
//    lag is perf_hooks' event-loop delay over the window, against the same window idle; the
//    figures are the worst delay of each second of the window (idle: before and after).

import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { FIRECRACKER_METRIC_KINDS, readMetrics } from '@kindling/ext-metrics';
import { recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';

const execFileAsync = promisify(execFile);
const FILE_LINES = 10_000;
const PARSE_RUNS = sampleCount(5, 3);
const VMS = 100;
const FIRECRACKER_PERIOD_MS = 60_000;
// How long each window of the event-loop lag lasts: idle, at Firecracker's rate, at 60 times it.
const IDLE_WINDOW_MS = sampleCount(10_000, 5_000);
const SLOW_WINDOW_MS = sampleCount(60_000, 10_000);
const FAST_WINDOW_MS = sampleCount(10_000, 5_000);
const RESOLUTION_MS = 10;

/** A metrics line with every v1.16.1 field, as Firecracker writes it (nested aggregates). */
const firecrackerLine = (n: number): string => {
  const line: Record<string, unknown> = { utc_timestamp_ms: 1_700_000_000_000 + n };
  const groupOf = (fields: Readonly<Record<string, string>>) => {
    const group: Record<string, unknown> = {};
    for (const field of Object.keys(fields)) {
      const [outer = field, inner] = field.split('.');
      if (inner === undefined) {
        group[outer] = (n * 7 + outer.length) % 1000;
      } else {
        const nested = (group[outer] ??= {}) as Record<string, number>;
        nested[inner] = n % 500;
      }
    }
    return group;
  };
  for (const [name, fields] of Object.entries(FIRECRACKER_METRIC_KINDS)) {
    if (name === 'vhost_user_block' || name === 'rtc') {
      continue;
    }
    if (name === 'block' || name === 'net') {
      line[`${name}_${name === 'block' ? 'rootfs' : 'eth0'}`] = groupOf(fields);
    }
    line[name] = groupOf(fields);
  }
  return `${JSON.stringify(line)}\n`;
};

const benchParse = async (dir: string): Promise<number[]> => {
  const file = path.join(dir, 'metrics.json');
  const text = Array.from({ length: FILE_LINES }, (_, n) => firecrackerLine(n)).join('');
  await writeFile(file, text);
  const rates: number[] = [];
  for (let run = 0; run < PARSE_RUNS; run += 1) {
    const started = performance.now();
    let records = 0;
    for await (const entry of await readMetrics(file, { until: Promise.resolve() })) {
      records += entry.type === 'record' ? 1 : 0;
    }
    const seconds = (performance.now() - started) / 1000;
    if (records !== FILE_LINES) {
      throw new Error(`read ${records} records of ${FILE_LINES}`);
    }
    rates.push(records / seconds);
  }
  const bytes = Buffer.byteLength(text) / FILE_LINES;
  console.log(
    `parse: ${FILE_LINES} lines of ${bytes.toFixed(0)} B from a file, ${PARSE_RUNS} runs: ` +
      `${rates.map((rate) => rate.toFixed(0)).join(', ')} records/s ` +
      `(best ${((Math.max(...rates) * bytes) / 1e6).toFixed(0)} MB/s)`,
  );
  return rates;
};

// The child that plays 100 Firecrackers: opens every FIFO as Firecracker does, and writes one
// line to each per period, the VMs' flushes spread evenly over the period.
const WRITER = `
const { openSync, writeSync, constants } = require('node:fs');
const [dir, vms, periodMs, windowMs, line] = [process.argv[1], +process.argv[2], +process.argv[3], +process.argv[4], process.argv[5]];
const fds = Array.from({ length: vms }, (_, i) => openSync(dir + '/vm-' + i + '.fifo', constants.O_RDWR | constants.O_NONBLOCK));
let missed = 0;
process.stdout.write('ready\\n');
fds.forEach((fd, i) => {
  const flush = () => { try { writeSync(fd, line); } catch { missed += 1; } };
  setTimeout(() => { flush(); setInterval(flush, periodMs); }, (periodMs * i) / vms);
});
setTimeout(() => { process.stdout.write(JSON.stringify({ missed }) + '\\n'); process.exit(0); }, windowMs);
`;

const ms = (ns: number) => ns / 1e6;

interface Lag {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** The worst delay of each second of the window. */
  readonly perSecond: readonly number[];
}

/** The event-loop delay while `during` runs; it calls `start` when the window begins. */
const measureLag = async (during: (start: () => void) => Promise<void>): Promise<Lag> => {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const second = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const perSecond: number[] = [];
  let ticker: NodeJS.Timeout | undefined;
  await during(() => {
    histogram.enable();
    second.enable();
    ticker = setInterval(() => {
      perSecond.push(Math.max(0, ms(second.max) - RESOLUTION_MS));
      second.reset();
    }, 1_000);
  });
  clearInterval(ticker);
  histogram.disable();
  second.disable();
  // The histogram counts the timer's resolution as delay too; report the lag above it.
  return {
    p50: ms(histogram.percentile(50)) - RESOLUTION_MS,
    p99: ms(histogram.percentile(99)) - RESOLUTION_MS,
    max: ms(histogram.max) - RESOLUTION_MS,
    perSecond,
  };
};

const benchFifos = async (
  dir: string,
  periodMs: number,
  windowMs: number,
): Promise<readonly number[]> => {
  await Promise.all(
    Array.from({ length: VMS }, (_, i) =>
      execFileAsync('mkfifo', [path.join(dir, `vm-${i}.fifo`)]),
    ),
  );
  const controller = new AbortController();
  let records = 0;
  const readers = await Promise.all(
    Array.from({ length: VMS }, async (_, i) => {
      const entries = await readMetrics(path.join(dir, `vm-${i}.fifo`), {
        signal: controller.signal,
      });
      // In an object: an async function returning a promise would wait for it.
      return {
        done: (async () => {
          for await (const entry of entries) {
            records += entry.type === 'record' ? 1 : 0;
          }
        })(),
      };
    }),
  );
  let missed = -1;
  // The window starts once the writer has opened every FIFO (spawning it is not reading).
  const lag = await measureLag(async (start) => {
    const writer = spawn(
      process.execPath,
      ['-e', WRITER, dir, String(VMS), String(periodMs), String(windowMs), firecrackerLine(1)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    writer.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.startsWith('ready\n')) {
        output = output.slice('ready\n'.length);
        start();
      }
    });
    await once(writer, 'close');
    missed = (JSON.parse(output) as { missed: number }).missed;
  });
  controller.abort();
  await Promise.all(readers.map((reader) => reader.done));
  await Promise.all(
    Array.from({ length: VMS }, (_, i) => rm(path.join(dir, `vm-${i}.fifo`), { force: true })),
  );
  const rate = (VMS * 1000) / periodMs;
  console.log(
    `fifo: ${VMS} VMs, a line every ${periodMs / 1000} s each (${rate.toFixed(1)} lines/s), ` +
      `${windowMs / 1000} s: ${records} records, ${missed} writes missed; event-loop lag ` +
      `p50 ${lag.p50.toFixed(2)} ms, p99 ${lag.p99.toFixed(2)} ms, max ${lag.max.toFixed(2)} ms`,
  );
  return lag.perSecond;
};

const benchIdle = async (windowMs: number): Promise<readonly number[]> => {
  const lag = await measureLag(
    (start) =>
      new Promise((resolve) => {
        start();
        setTimeout(resolve, windowMs);
      }),
  );
  console.log(
    `idle baseline, ${windowMs / 1000} s: event-loop lag p50 ${lag.p50.toFixed(2)} ms, ` +
      `p99 ${lag.p99.toFixed(2)} ms, max ${lag.max.toFixed(2)} ms`,
  );
  return lag.perSecond;
};

const lagFigure = (rate: string, samples: readonly number[], idle: readonly number[]): void => {
  recordFigure({
    name: `ext-metrics: event-loop lag, worst per second, ${VMS} FIFOs at ${rate}`,
    unit: 'ms',
    samples,
    baseline: idle,
    baselineName: 'idle, same run',
  });
};

const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-bench-metrics-'));
try {
  recordFigure({
    name: `ext-metrics: readMetrics parse rate, ${FILE_LINES} lines from a file`,
    unit: 'records/s',
    samples: await benchParse(dir),
  });
  const idle = [...(await benchIdle(IDLE_WINDOW_MS))];
  const slow = await benchFifos(dir, FIRECRACKER_PERIOD_MS, SLOW_WINDOW_MS);
  const fast = await benchFifos(dir, 1_000, FAST_WINDOW_MS);
  // The machine's own noise again, after: the FIFO figures are only as good as these.
  idle.push(...(await benchIdle(IDLE_WINDOW_MS)));
  lagFigure("Firecracker's rate", slow, idle);
  lagFigure("60× Firecracker's rate", fast, idle);
} finally {
  await rm(dir, { recursive: true, force: true });
}
