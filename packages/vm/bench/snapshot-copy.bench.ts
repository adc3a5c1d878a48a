// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/snapshot-copy.bench.ts` (from packages/vm).
// snapshot.copy() of a memory-like file: 256 MiB, a few MiB of data scattered in pages and
// short runs, holes elsewhere (as a guest that touched little of its memory leaves it). For each
// way of copying: the time (median of the runs, alternating so that all see the same load) and
// the disk the copy takes (stat.blocks * 512).
//   before: copyFile(COPYFILE_EXCL | COPYFILE_FICLONE), as snapshot.copy() did; on a filesystem
//           without reflinks the kernel's copy fills the holes.
//   after:  snapshot.copy() now (a reflink where there is one, else the data around the holes).
//   cp:     `cp --sparse=always --reflink=auto` for reference (SEEK_DATA/SEEK_HOLE in C).

import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { copyFile, mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { VmSnapshot } from '@kindling/vm';
import { quantile, recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
const PAGE = 4096;
// 2 MiB in single pages, and 1.5 MiB in 24 runs of 64 KiB.
const SCATTERED_PAGES = 512;
const RUNS = 24;
const RUN_SIZE = 64 * 1024;
const ROUNDS = sampleCount(5, 3);

const execFileAsync = promisify(execFile);

// A fixed pseudo-random sequence (mulberry32): the same file on every run.
const random = (() => {
  let state = 0x6b696e64;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
})();

const filled = (length: number): Buffer => {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index += 1) {
    bytes[index] = 1 + Math.floor(random() * 255);
  }
  return bytes;
};

const writeMemoryFile = async (file: string): Promise<number> => {
  const handle = await open(file, 'wx', 0o600);
  try {
    const page = filled(PAGE);
    for (let index = 0; index < SCATTERED_PAGES; index += 1) {
      await handle.write(page, 0, PAGE, Math.floor(random() * (SIZE / PAGE)) * PAGE);
    }
    const run = filled(RUN_SIZE);
    for (let index = 0; index < RUNS; index += 1) {
      await handle.write(
        run,
        0,
        RUN_SIZE,
        Math.floor(random() * ((SIZE - RUN_SIZE) / PAGE)) * PAGE,
      );
    }
    await handle.truncate(SIZE);
  } finally {
    await handle.close();
  }
  return (await stat(file)).blocks * 512;
};

interface Way {
  readonly name: string;
  copy(from: VmSnapshot, toDir: string): Promise<string>;
}

const BEFORE: Way = {
  name: 'before (copyFile)',
  copy: async (from, toDir) => {
    const to = path.join(toDir, 'vm.mem');
    await copyFile(from.memPath, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    return to;
  },
};
const AFTER: Way = {
  name: 'after (snapshot.copy)',
  copy: async (from, toDir) =>
    (
      await from.copy({
        snapshotPath: path.join(toDir, 'vm.state'),
        memPath: path.join(toDir, 'vm.mem'),
      })
    ).memPath,
};
const CP: Way = {
  name: 'cp --sparse=always',
  copy: async (from, toDir) => {
    const to = path.join(toDir, 'vm.mem');
    await execFileAsync('cp', ['--sparse=always', '--reflink=auto', from.memPath, to]);
    return to;
  },
};
const WAYS: readonly Way[] = [BEFORE, AFTER, CP];

const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-bench-copy-'));
try {
  await writeFile(path.join(dir, 'vm.state'), 'state');
  const sourceDisk = await writeMemoryFile(path.join(dir, 'vm.mem'));
  const snapshot = new VmSnapshot({
    type: 'Full',
    snapshotPath: path.join(dir, 'vm.state'),
    memPath: path.join(dir, 'vm.mem'),
  });
  const times = new Map<string, number[]>(WAYS.map((way) => [way.name, []]));
  const disk = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const way of WAYS) {
      const toDir = path.join(dir, `copy-${round}-${WAYS.indexOf(way)}`);
      await rm(toDir, { recursive: true, force: true });
      await execFileAsync('mkdir', ['-p', toDir]);
      const started = performance.now();
      const copied = await way.copy(snapshot, toDir);
      times.get(way.name)?.push(performance.now() - started);
      disk.set(way.name, (await stat(copied)).blocks * 512);
      await rm(toDir, { recursive: true, force: true });
    }
  }
  console.log(
    `vm: snapshot.copy of a 256 MiB sparse memory file holding ${(sourceDisk / MiB).toFixed(1)} MiB on disk (n=${ROUNDS} each):`,
  );
  for (const way of WAYS) {
    const ms = quantile(times.get(way.name) ?? [], 0.5);
    const mib = (disk.get(way.name) ?? Number.NaN) / MiB;
    console.log(`vm:   ${way.name}: median ${ms.toFixed(1)} ms, ${mib.toFixed(1)} MiB on disk`);
  }
  // cp, SEEK_DATA/SEEK_HOLE in C, is the baseline; the copy before snapshot.copy() for reference.
  for (const way of [AFTER, BEFORE]) {
    recordFigure({
      name: `vm: copy of a 256 MiB sparse memory file, ${way.name}`,
      unit: 'ms',
      samples: times.get(way.name) ?? [],
      baseline: times.get(CP.name) ?? [],
      baselineName: CP.name,
    });
  }
  recordFigure({
    name: `vm: disk taken by the copy, ${AFTER.name}`,
    unit: 'MiB',
    samples: [(disk.get(AFTER.name) ?? Number.NaN) / MiB],
    baseline: [(disk.get(CP.name) ?? Number.NaN) / MiB],
    baselineName: CP.name,
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
